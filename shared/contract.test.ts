import { describe, expect, it } from 'vitest';
import { bridgeRequestSchema, commandSchema, parseJson, parseWith } from './index.js';

describe('the shared contract', () => {
  it('accepts every well-formed command', () => {
    for (const command of [
      { type: 'fleetStop' },
      { type: 'tractorStop', tractorId: 'sim-01' },
      { type: 'release', stopId: 'stop-1', tractorIds: ['sim-01'] },
      { type: 'assignSection', sectionId: 's01', tractorId: 'sim-02' },
    ]) {
      expect(parseWith(commandSchema, command).ok).toBe(true);
    }
  });

  it('rejects unknown commands and missing fields with a message naming the problem', () => {
    const unknown = parseWith(commandSchema, { type: 'selfDestruct' });
    expect(unknown.ok).toBe(false);
    const missing = parseWith(commandSchema, { type: 'tractorStop' });
    expect(missing).toMatchObject({ ok: false });
    expect(missing.ok ? '' : missing.error).toContain('tractorId');
  });

  it('rejects empty ids and oversized release lists', () => {
    expect(parseWith(commandSchema, { type: 'tractorStop', tractorId: '' }).ok).toBe(false);
    const many = Array.from({ length: 300 }, (_, i) => `t${i}`);
    expect(parseWith(commandSchema, { type: 'release', stopId: 's', tractorIds: many }).ok).toBe(
      false,
    );
  });

  it('requires a numeric request id on the bridge', () => {
    expect(parseWith(bridgeRequestSchema, { op: 'snapshot', id: 1 }).ok).toBe(true);
    expect(parseWith(bridgeRequestSchema, { op: 'snapshot', id: '1' }).ok).toBe(false);
  });

  it('parses JSON without throwing', () => {
    expect(parseJson('{').ok).toBe(false);
    expect(parseJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
  });
});
