import { describe, expect, it } from 'vitest';
import type { StationSnapshot, TractorSnapshot } from '../../shared/index.js';
import { jobEtaText, tractorEtaText } from './eta-text.js';

const tractor = (over: Partial<TractorSnapshot>): TractorSnapshot =>
  ({
    id: 'sim-01',
    state: 'working',
    progress: 0.4,
    sectionIds: ['S0001'],
    etaS: 125,
    stop: { status: 'none', latencyMs: null },
    ...over,
  }) as TractorSnapshot;

const snapshot = (
  state: StationSnapshot['job']['state'],
  tractors: TractorSnapshot[],
  etaS: number | null = 167_400,
) =>
  ({ job: { state, progress: { etaS } }, tractors }) as unknown as Pick<
    StationSnapshot,
    'job' | 'tractors'
  >;

describe('the ETA or why there is none', () => {
  it('gives a working machine its estimate', () => {
    expect(tractorEtaText(tractor({}))).toBe('2 min 05 s');
  });

  it('says why a machine has none instead of a figure from a machine standing still', () => {
    expect(tractorEtaText(tractor({ stop: { status: 'confirmed', latencyMs: 70 } }))).toMatch(
      /^stopped/,
    );
    expect(tractorEtaText(tractor({ state: 'comm-lost' }))).toBe('no contact');
    expect(tractorEtaText(tractor({ state: 'paused' }))).toBe('paused');
    expect(tractorEtaText(tractor({ state: 'done', progress: 1 }))).toBe('done');
  });

  it('says what a machine held by the zone guard waits for, and keeps the figure while slowed', () => {
    const reason = 'would come within 3 m of sim-03 now';
    expect(tractorEtaText(tractor({ hold: { action: 'hold', cause: 'separation', reason } }))).toBe(
      `waiting: ${reason}`,
    );
    expect(tractorEtaText(tractor({ hold: { action: 'slow', cause: 'separation', reason } }))).toBe(
      '2 min 05 s',
    );
  });

  it('never shows a job ETA while the fleet is stopped, paused, partly stopped or finished', () => {
    const held = tractor({ stop: { status: 'confirmed', latencyMs: 70 } });
    // 46 h 30 min was shown while every machine stood still.
    expect(jobEtaText(snapshot('stopped', [held, held]))).toBe('none while stopped');
    expect(jobEtaText(snapshot('running', [held, tractor({})]))).toBe(
      'none while 1 machine is stopped',
    );
    expect(jobEtaText(snapshot('paused', [tractor({})]))).toBe('none while paused');
    expect(jobEtaText(snapshot('finished', [tractor({})]))).toBe('finished');
    expect(jobEtaText(snapshot('running', [tractor({})], 300))).toBe('5 min 00 s');
  });
});
