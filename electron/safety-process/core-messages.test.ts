import { describe, expect, it } from 'vitest';
import type { TractorToStation } from '../link/index.js';
import { fromCoreSchema } from './core-messages.js';

function passed(message: TractorToStation): unknown {
  const parsed = fromCoreSchema.safeParse({ type: 'message', from: 'sim-01', message });
  return parsed.success && parsed.data.type === 'message' ? parsed.data.message : parsed.error;
}

describe('what a tractor said, on its way from the core', () => {
  it('keeps whether a stopped machine stopped on its own', () => {
    const telemetry: TractorToStation = {
      kind: 'telemetry',
      position: [10, 50],
      headingDeg: 0,
      speedMps: 0,
      state: 'stopped',
      mode: 'autonomous',
      currentSectionId: null,
      coverage: null,
      ownStop: true,
    };
    expect(passed(telemetry)).toEqual(telemetry);
  });

  it('carries work done as progress, and refuses progress without an interval', () => {
    const progress: TractorToStation = {
      kind: 'progress',
      currentSectionId: 'S0001',
      coverage: { sectionId: 'S0001', fromM: 0, toM: 12.5 },
    };
    expect(passed(progress)).toEqual(progress);
    const broken = { kind: 'progress', currentSectionId: null, coverage: null };
    expect(
      fromCoreSchema.safeParse({ type: 'message', from: 'sim-01', message: broken }).success,
    ).toBe(false);
  });
});
