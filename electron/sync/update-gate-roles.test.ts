/**
 * What remote writers may write (docs/sync-schema.md, "Who may write what"): the job's fixed
 * facts are refused from anyone, a remote operator adds only claims, alerts and acks within
 * volume limits, and no remote operator records or releases a stop.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { JobDoc } from './job-doc.js';
import type { Principal } from './principal.js';
import { OPERATOR_WRITER_LIMITS, UpdateGate } from './update-gate.js';
import {
  captureUpdate,
  createStationJob,
  hasPending,
  rawClone,
  replicaOf,
  station,
} from './test-helpers/builders.js';

const STATION: Principal = { role: 'station', id: 'st2' };
const OPERATOR: Principal = { role: 'operator', id: 'ws-operator@10.0.0.9' };
const REFILL_STOP = {
  tractorId: 't1',
  arrivedAtWallMs: 1_000,
  leftAtWallMs: 61_000,
  position: [10.001, 52.001] as [number, number],
};

function setup(): { job: JobDoc; gate: UpdateGate; clock: ManualClock } {
  const clock = new ManualClock();
  const job = createStationJob(clock);
  return { job, gate: new UpdateGate(job.doc, clock), clock };
}

/** Applies `update` as `who` and expects a refusal for `reason` that leaves the doc as it was. */
function expectRefused(
  job: JobDoc,
  gate: UpdateGate,
  update: Uint8Array,
  who: Principal,
  reason: string,
): void {
  const before = Y.encodeStateAsUpdate(job.doc);
  const result = gate.apply(update, who, 'peer');
  expect(result.ok ? 'accepted' : result.rejection.reason).toBe(reason);
  expect(Y.encodeStateAsUpdate(job.doc)).toEqual(before);
  expect(hasPending(job.doc)).toBe(false);
}

function write(job: JobDoc, fn: (doc: Y.Doc) => void): Uint8Array {
  const raw = rawClone(job.doc);
  return captureUpdate(raw, () => fn(raw));
}

describe('the job’s fixed facts', () => {
  it.each([
    [
      'shift the frame origin by a degree',
      (d: Y.Doc) => d.getMap('meta').set('frameOrigin', [11, 52]),
    ],
    ['rename the job id', (d: Y.Doc) => d.getMap('meta').set('jobId', 'other-job')],
    ['delete the frame origin', (d: Y.Doc) => d.getMap('meta').delete('frameOrigin')],
    ['delete the job id', (d: Y.Doc) => d.getMap('meta').delete('jobId')],
    [
      'redraw a section',
      (d: Y.Doc) =>
        d.getMap('sections').set('s1', {
          id: 's1',
          name: 'moved',
          polygon: [
            [
              [11, 52],
              [11.001, 52],
              [11.001, 52.01],
            ],
          ],
          order: 0,
          areaM2: 7_000,
        }),
    ],
    ['delete a section', (d: Y.Doc) => d.getMap('sections').delete('s1')],
  ])('are refused from a remote operator and from a peer station: %s', (_what, change) => {
    const { job, gate } = setup();
    expectRefused(job, gate, write(job, change), OPERATOR, 'forbidden');
    expectRefused(job, gate, write(job, change), STATION, 'forbidden');
    expect(job.frameOrigin()).toEqual([10, 52]);
    expect(job.snapshot().jobId).toBe('job-1');
    expect(job.snapshot().sections).toHaveLength(4);
  });

  it('still reach a fresh replica whole (a tractor joining the job)', () => {
    const { job } = setup();
    const fresh = new Y.Doc();
    const gate = new UpdateGate(fresh, new ManualClock());
    expect(gate.apply(Y.encodeStateAsUpdate(job.doc), STATION, 'p').ok).toBe(true);
    expect(
      new JobDoc({ actor: station('t'), clock: new ManualClock(), doc: fresh }).frameOrigin(),
    ).toEqual([10, 52]);
  });
});

describe('a remote operator', () => {
  it('assigns sections, raises and acknowledges alerts', () => {
    const { job, gate } = setup();
    const office = replicaOf(job, station('office'));
    const update = captureUpdate(office.doc, () => {
      office.assign('s1', 't2', 'from the office');
      office.raiseAlert({ id: 'office-1', kind: 'note', severity: 'info', message: 'rain at 4' });
      office.acknowledgeAlert('office-1');
    });
    expect(gate.apply(update, OPERATOR, 'peer')).toEqual({ ok: true, changed: true });
    expect(job.snapshot().sections[0]?.tractorId).toBe('t2');
  });

  it.each([
    [
      'record an e-stop',
      (o: JobDoc) => o.recordEstop({ id: 'stop-x-1', scope: 'fleet', reason: 'r' }),
    ],
    ['change the job mode', (o: JobDoc) => o.setJobMode('finished', 'done, says the office')],
    [
      'add a field revision',
      (o: JobDoc) =>
        o.reviseField(
          [
            [
              [10, 52],
              [10.1, 52],
              [10.1, 52.1],
              [10, 52],
            ],
          ],
          'x',
        ),
    ],
    ['mark a section done', (o: JobDoc) => o.setSectionState('s1', 'done')],
    [
      'write a tractor status',
      (o: JobDoc) => o.setTractorStatus('t1', { mode: 'manual', activity: 'idle' }),
    ],
    ['record a refill stop', (o: JobDoc) => o.putRefillStops([REFILL_STOP])],
  ])('may not %s', (_what, change) => {
    const { job, gate } = setup();
    const office = replicaOf(job, station('office'));
    expectRefused(
      job,
      gate,
      captureUpdate(office.doc, () => change(office)),
      OPERATOR,
      'forbidden',
    );
  });

  it('may not release a stop the station recorded', () => {
    const { job, gate } = setup();
    job.recordEstop({ id: 'stop-1', scope: 'fleet', reason: 'r' });
    const office = replicaOf(job, station('office'));
    expectRefused(
      job,
      gate,
      captureUpdate(office.doc, () => office.releaseEstop('stop-1')),
      OPERATOR,
      'forbidden',
    );
    expect(job.snapshot().estops[0]?.active).toBe(true);
  });

  it('may not forge the op record of a stop', () => {
    const { job, gate } = setup();
    const update = write(job, (d) =>
      d.getMap('ops').set('1:1', {
        id: '1:1',
        client: 1,
        clock: 1,
        kind: 'estop',
        actor: 'office',
        atMs: 1,
        summary: 'fleet: forged',
        deps: {},
      }),
    );
    expectRefused(job, gate, update, OPERATOR, 'forbidden');
  });

  it('is refused a 15 MB update of 25,000 alerts before it is decoded', () => {
    const { job, gate } = setup();
    const update = write(job, (d) => {
      const alerts = d.getMap('alerts');
      const message = 'x'.repeat(500);
      for (let i = 0; i < 25_000; i++)
        alerts.set(`a${i}`, {
          id: `a${i}`,
          kind: 'k',
          severity: 'info',
          message,
          source: 'o',
          atMs: 1,
        });
    });
    expect(update.byteLength).toBeGreaterThan(10_000_000);
    expectRefused(job, gate, update, OPERATOR, 'too-large');
  });

  it('is refused more keys in one update, or a minute, than its limits', () => {
    const clock = new ManualClock();
    const job = createStationJob(clock);
    const limits = { ...OPERATOR_WRITER_LIMITS, maxKeysPerUpdate: 100, maxKeysPerMinute: 500 };
    const gate = new UpdateGate(job.doc, clock, undefined, limits);
    const alerts = (from: number, count: number) =>
      write(job, (d) => {
        for (let i = from; i < from + count; i++)
          d.getMap('alerts').set(`a${i}`, {
            id: `a${i}`,
            kind: 'k',
            severity: 'info',
            message: 'm',
            source: 'o',
            atMs: 1,
          });
      });
    expectRefused(job, gate, alerts(0, limits.maxKeysPerUpdate + 1), OPERATOR, 'too-large');
    for (let k = 0; k < 5; k++)
      expect(gate.apply(alerts(k * 100, 100), OPERATOR, 'p').ok).toBe(true);
    expectRefused(job, gate, alerts(500, 10), OPERATOR, 'rate-limited');
    // Another writer has a budget of its own; this one's renews after a minute.
    expect(gate.apply(alerts(600, 10), { role: 'operator', id: 'upstream:job-1' }, 'p').ok).toBe(
      true,
    );
    clock.advance(60_000);
    expect(gate.apply(alerts(700, 10), OPERATOR, 'p').ok).toBe(true);
    expect(gate.stats.byReason).toEqual({ 'too-large': 1, 'rate-limited': 1 });
  });
});

describe('refill stops', () => {
  it('are the station’s: a peer station’s reach the job, a tractor’s are refused', () => {
    const { job, gate } = setup();
    const peer = replicaOf(job, station('st2'));
    const update = captureUpdate(peer.doc, () => peer.putRefillStops([REFILL_STOP]));
    expectRefused(job, gate, update, { role: 'tractor', id: 't1' }, 'forbidden');
    expect(gate.apply(update, STATION, 'peer').ok).toBe(true);
    expect(job.refillStops()).toEqual([{ ...REFILL_STOP, id: 't1@1000' }]);
  });

  it('refuse a stop that left before it arrived, even from a station', () => {
    const { job, gate } = setup();
    const bad = write(job, (d) =>
      d.getMap('refillStops').set('t1@1000', { ...REFILL_STOP, id: 't1@1000', leftAtWallMs: 5 }),
    );
    expectRefused(job, gate, bad, STATION, 'invalid-content');
  });
});
