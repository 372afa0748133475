import * as Y from 'yjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { encodeSegments } from './coverage-codec.js';
import { JobDoc } from './job-doc.js';
import type { Principal } from './principal.js';
import { UpdateGate } from './update-gate.js';
import {
  captureUpdate,
  createStationJob,
  hasPending,
  rawClone,
  replicaOf,
  segment,
  station,
  tractor,
} from './test-helpers/builders.js';

const STATION: Principal = { role: 'station', id: 'st2' };
const T1: Principal = { role: 'tractor', id: 't1' };
const T2: Principal = { role: 'tractor', id: 't2' };
const VIEWER: Principal = { role: 'viewer', id: 'v' };

function setup(): { job: JobDoc; gate: UpdateGate } {
  const clock = new ManualClock();
  const job = createStationJob(clock);
  return { job, gate: new UpdateGate(job.doc, clock) };
}

function expectUnchanged(job: JobDoc, fn: () => void): void {
  const before = Y.encodeStateAsUpdate(job.doc);
  fn();
  expect(Y.encodeStateAsUpdate(job.doc)).toEqual(before);
  expect(hasPending(job.doc)).toBe(false);
}

describe('UpdateGate', () => {
  it("accepts a tractor's own coverage and status and binds its client id", () => {
    const { job, gate } = setup();
    const t1 = replicaOf(job, tractor('t1'));
    const update = captureUpdate(t1.doc, () => {
      t1.appendCoverage('t1', [segment(0, 0)]);
      t1.setTractorStatus('t1', { mode: 'autonomous', activity: 'working' });
    });
    expect(gate.apply(update, T1, 'peer')).toEqual({ ok: true, changed: true });
    expect(job.coverage('t1')).toHaveLength(1);
    expect(gate.bindings.tractorOf(t1.doc.clientID)).toBe('t1');
    // Overwriting its own status deletes its previous value: allowed.
    const again = captureUpdate(t1.doc, () =>
      t1.setTractorStatus('t1', { mode: 'supervised', activity: 'paused' }),
    );
    expect(gate.apply(again, T1, 'peer').ok).toBe(true);
    expect(job.snapshot().tractors['t1']?.mode).toBe('supervised');
  });

  it.each([
    ['assign a section', (d: Y.Doc) => d.getMap('assignments').set('x', { key: 'x' })],
    [
      'write another tractor status',
      (d: Y.Doc) =>
        d.getMap('tractors').set('t2', { mode: 'manual', activity: 'idle', by: 't1', atMs: 1 }),
    ],
    ['release an e-stop', (d: Y.Doc) => d.getMap('estopReleases').set('e1', { by: 't1', atMs: 1 })],
    ['write an unknown root', (d: Y.Doc) => d.getMap('evil').set('k', 1)],
    ['write text', (d: Y.Doc) => d.getText('meta').insert(0, 'x')],
  ])('refuses a tractor that tries to %s, leaving the doc untouched', (_what, write) => {
    const { job, gate } = setup();
    const raw = rawClone(job.doc);
    const update = captureUpdate(raw, () => write(raw));
    expectUnchanged(job, () => expect(gate.apply(update, T1, 'peer').ok).toBe(false));
    expect(gate.stats.rejected).toBe(1);
  });

  it("refuses coverage written into another tractor's log", () => {
    const { job, gate } = setup();
    const t1 = replicaOf(job, tractor('t1'));
    const update = captureUpdate(t1.doc, () => {
      new JobDoc({ actor: tractor('t2'), clock: new ManualClock(), doc: t1.doc }).appendCoverage(
        't2',
        [segment(0, 0)],
      );
    });
    const r = gate.apply(update, T1, 'peer');
    expect(r.ok ? null : r.rejection.reason).toBe('forbidden');
  });

  it('refuses a client id bound to another tractor (spoofing)', () => {
    const { job, gate } = setup();
    const t1 = replicaOf(job, tractor('t1'));
    gate.apply(
      captureUpdate(t1.doc, () => t1.appendCoverage('t1', [segment(0, 0)])),
      T1,
      'peer',
    );
    const spoof = new JobDoc({ actor: tractor('t2'), clock: new ManualClock(), doc: t1.doc });
    const update = captureUpdate(t1.doc, () =>
      spoof.setTractorStatus('t2', { mode: 'manual', activity: 'idle' }),
    );
    const r = gate.apply(update, T2, 'peer');
    expect(r.ok ? null : r.rejection.reason).toBe('client-spoofed');
  });

  it('holds writes a station relays under a tractor client id to that tractor’s rules', () => {
    const { job, gate } = setup();
    const t1 = replicaOf(job, tractor('t1'));
    gate.apply(
      captureUpdate(t1.doc, () => t1.appendCoverage('t1', [segment(0, 0)])),
      T1,
      'peer',
    );
    const raw = rawClone(t1.doc, t1.doc.clientID);
    const update = captureUpdate(raw, () =>
      raw.getMap('sectionStates').set('s1', { state: 'done', by: 't1', atMs: 1 }),
    );
    expect(gate.apply(update, STATION, 'relay').ok).toBe(false);
  });

  it('lets a viewer sync (step 2 with the whole delete set) but not write', () => {
    const { job, gate } = setup();
    job.setJobMode('running', 'go'); // an overwrite: the doc now has a delete set
    const viewer = rawClone(job.doc);
    const step2 = Y.encodeStateAsUpdate(viewer, Y.encodeStateVector(job.doc));
    expect(gate.apply(step2, VIEWER, 'viewer').ok).toBe(true);
    const write = captureUpdate(viewer, () =>
      viewer.getMap('alertAcks').set('a', { by: 'v', atMs: 1 }),
    );
    expect(gate.apply(write, VIEWER, 'viewer').ok).toBe(false);
  });

  it('refuses overwriting or deleting append-only records, even from a station', () => {
    const { job, gate } = setup();
    job.recordEstop({ id: 'e1', scope: 'fleet', reason: 'r' });
    job.releaseEstop('e1');
    const raw = rawClone(job.doc);
    const del = captureUpdate(raw, () => raw.getMap('estopReleases').delete('e1'));
    const rewrite = captureUpdate(rawClone(job.doc), () => undefined);
    const raw2 = rawClone(job.doc);
    const over = captureUpdate(raw2, () =>
      raw2.getMap('estops').set('e1', { id: 'e1', scope: 'fleet', by: 'x', reason: 'y', atMs: 2 }),
    );
    expectUnchanged(job, () => {
      expect(gate.apply(del, STATION, 'p').ok).toBe(false);
      expect(gate.apply(over, STATION, 'p').ok).toBe(false);
    });
    expect(gate.apply(rewrite, STATION, 'p').ok).toBe(true);
    expect(job.snapshot().estops[0]?.active).toBe(false);
  });

  it('refuses deleting or inserting into the middle of coverage', () => {
    const { job, gate } = setup();
    const t1 = replicaOf(job, tractor('t1'));
    gate.apply(
      captureUpdate(t1.doc, () => t1.appendCoverage('t1', [segment(0, 0), segment(1, 1)])),
      T1,
      'peer',
    );
    gate.apply(
      captureUpdate(t1.doc, () => t1.appendCoverage('t1', [segment(2, 2)])),
      T1,
      'peer',
    );
    const raw = rawClone(job.doc, t1.doc.clientID);
    const chunk = [...raw.getMap('coverage').values()][0] as Y.Array<Uint8Array>;
    const del = captureUpdate(raw, () => chunk.delete(0, 1));
    const raw2 = rawClone(job.doc, t1.doc.clientID);
    const chunk2 = [...raw2.getMap('coverage').values()][0] as Y.Array<Uint8Array>;
    const ins = captureUpdate(raw2, () => chunk2.insert(0, [encodeSegments([segment(9, 9)])]));
    expectUnchanged(job, () => {
      expect(gate.apply(del, T1, 'p').ok).toBe(false);
      expect(gate.apply(ins, T1, 'p').ok).toBe(false);
      expect(gate.apply(del, STATION, 'p').ok).toBe(false);
    });
  });

  it('refuses values that fail the schema and malformed coverage bytes', () => {
    const { job, gate } = setup();
    const raw = rawClone(job.doc);
    const bad = captureUpdate(raw, () =>
      raw.getMap('alerts').set('a1', { id: 'a1', severity: 'apocalyptic' }),
    );
    const t1 = replicaOf(job, tractor('t1'));
    t1.appendCoverage('t1', [segment(0, 0)]);
    const raw2 = rawClone(t1.doc, t1.doc.clientID);
    const arr = [...raw2.getMap('coverage').values()][0] as Y.Array<Uint8Array>;
    const junk = captureUpdate(raw2, () => arr.push([new Uint8Array([1, 0, 0])]));
    const r = gate.apply(bad, STATION, 'p');
    expect(r.ok ? null : r.rejection.reason).toBe('invalid-content');
    const r2 = gate.apply(junk, T1, 'p');
    expect(r2.ok ? null : r2.rejection.reason).not.toBeNull();
  });

  it('refuses an update with a clock gap instead of leaving it pending', () => {
    const { job, gate } = setup();
    const other = replicaOf(job, station('st2'));
    const first = captureUpdate(other.doc, () => other.setJobMode('running', 'a'));
    const second = captureUpdate(other.doc, () => other.setJobMode('paused', 'b'));
    expectUnchanged(job, () => {
      const r = gate.apply(second, STATION, 'p');
      expect(r.ok ? null : r.rejection.reason).toBe('clock-gap');
    });
    expect(gate.apply(first, STATION, 'p').ok).toBe(true);
    expect(gate.apply(second, STATION, 'p').ok).toBe(true);
    expect(job.snapshot().jobMode?.mode).toBe('paused');
  });

  it('accepts a whole-job step 2 whose items refer to later client groups (long overwrite chains)', () => {
    const { job } = setup();
    const others = [replicaOf(job, station('st2')), replicaOf(job, station('st3'))];
    const all = [job, ...others];
    for (let i = 0; i < 300; i++) {
      const writer = all[i % 3]!;
      writer.setJobMode(i % 2 === 0 ? 'running' : 'paused', `turn ${i}`);
      for (const other of all)
        if (other !== writer)
          Y.applyUpdate(
            other.doc,
            Y.encodeStateAsUpdate(writer.doc, Y.encodeStateVector(other.doc)),
          );
    }
    const fresh = new Y.Doc();
    const gate = new UpdateGate(fresh, new ManualClock());
    expect(gate.apply(Y.encodeStateAsUpdate(job.doc), STATION, 'p').ok).toBe(true);
    expect(Y.encodeStateVector(fresh)).toEqual(Y.encodeStateVector(job.doc));
  });

  it('never throws and never damages the doc on fuzzed or corrupted updates', () => {
    const { job, gate } = setup();
    const other = replicaOf(job, station('st2'));
    const t1 = replicaOf(job, tractor('t1'));
    const valid = [
      captureUpdate(other.doc, () => other.assign('s1', 't2', 'x')),
      captureUpdate(t1.doc, () => t1.appendCoverage('t1', [segment(0, 0)])),
      Y.encodeStateAsUpdate(other.doc),
    ];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc
            .record({
              which: fc.nat(2),
              cut: fc.nat(),
              flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), {
                maxLength: 4,
              }),
            })
            .map(({ which, cut, flips }) => {
              const src = valid[which]!;
              const bytes = src.slice(0, 1 + (cut % src.length));
              for (const [at, x] of flips) bytes[at % bytes.length]! ^= x;
              return bytes;
            }),
        ),
        (bytes) => {
          const before = Y.encodeStateAsUpdate(job.doc);
          const r = gate.apply(bytes, T1, 'fuzz');
          expect(hasPending(job.doc)).toBe(false);
          if (!r.ok) expect(Y.encodeStateAsUpdate(job.doc)).toEqual(before);
        },
      ),
      { numRuns: 300, seed: 6 },
    );
    // Whatever was accepted was a valid tractor write; the plan is intact.
    expect(job.snapshot().sections.map((s) => s.tractorId)).toEqual(['t1', 't2', 't1', 't2']);
  });
});
