import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { encodeOwnWrites } from './sync-session.js';
import { UpdateGate } from './update-gate.js';
import {
  createStationJob,
  replicaOf,
  segment,
  station,
  syncPair,
  tractor,
} from './test-helpers/builders.js';

describe('encodeOwnWrites', () => {
  it("carries only the tractor's own writes and deletes, so a station that lacks others' data accepts it", () => {
    const a = createStationJob();
    const t1 = replicaOf(a, tractor('t1'));
    const b = replicaOf(a, station('st2'));
    a.setJobMode('running', 'A overwrites meta: a delete B has not seen');
    syncPair(a.doc, t1.doc);
    t1.setTractorStatus('t1', { mode: 'autonomous', activity: 'working' });
    t1.setTractorStatus('t1', { mode: 'autonomous', activity: 'paused' });
    t1.appendCoverage('t1', [segment(0, 0)]);
    const gate = new UpdateGate(b.doc, new ManualClock());
    const full = Y.encodeStateAsUpdate(t1.doc, Y.encodeStateVector(b.doc));
    expect(gate.apply(full, { role: 'tractor', id: 't1' }, 'x').ok).toBe(false);
    const own = encodeOwnWrites(t1.doc, Y.encodeStateVector(b.doc));
    expect(gate.apply(own, { role: 'tractor', id: 't1' }, 'x')).toEqual({
      ok: true,
      changed: true,
    });
    expect(b.snapshot().tractors['t1']?.activity).toBe('paused');
    expect(b.coverage('t1')).toHaveLength(1);
    expect(b.snapshot().jobMode?.mode).toBe('planned');
  });
});
