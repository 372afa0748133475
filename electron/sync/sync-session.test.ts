import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { JobDoc } from './job-doc.js';
import { CLOSE_CODE, MESSAGE_TYPE, type MessageChannel } from './message-channel.js';
import type { Principal } from './principal.js';
import { SyncSession, type SyncSessionOptions, encodeOwnWrites } from './sync-session.js';
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

describe('SyncSession over an in-memory channel', () => {
  interface Wire {
    a: MessageChannel;
    b: MessageChannel;
    flush(): void;
    closes: { side: 'a' | 'b'; code: number }[];
  }
  /** Two ends of an ordered channel; messages are delivered on flush() (no timers). */
  function wire(): Wire {
    const queue: { to: 'a' | 'b'; bytes: Uint8Array }[] = [];
    const handlers: Record<'a' | 'b', ((b: Uint8Array) => void) | null> = { a: null, b: null };
    const closes: { side: 'a' | 'b'; code: number }[] = [];
    const end = (me: 'a' | 'b', other: 'a' | 'b'): MessageChannel => ({
      send: (bytes) => queue.push({ to: other, bytes }),
      onMessage: (cb) => {
        handlers[me] = cb;
        return () => (handlers[me] = null);
      },
      close: (code) => closes.push({ side: me, code }),
    });
    return {
      a: end('a', 'b'),
      b: end('b', 'a'),
      closes,
      flush: () => {
        for (let m = queue.shift(); m; m = queue.shift()) handlers[m.to]?.(m.bytes);
      },
    };
  }

  function session(
    job: JobDoc,
    principal: Principal,
    channel: MessageChannel,
    extra: Partial<SyncSessionOptions> = {},
  ): SyncSession {
    const clock = new ManualClock();
    return new SyncSession({
      doc: job.doc,
      gate: new UpdateGate(job.doc, clock),
      awareness: new Awareness(job.doc),
      principal,
      channel,
      clock,
      ...extra,
    });
  }

  it('syncs a station and a tractor both ways and keeps live updates flowing', () => {
    const st = createStationJob();
    const t1 = new JobDoc({ actor: tractor('t1'), clock: new ManualClock() });
    const w = wire();
    const atStation = session(st, { role: 'tractor', id: 't1' }, w.a);
    const atTractor = session(t1, { role: 'station', id: 'st1' }, w.b, { ownWritesOnly: true });
    atStation.start();
    atTractor.start();
    w.flush();
    expect(t1.snapshot()).toEqual(st.snapshot());
    t1.appendCoverage('t1', [segment(0, 0)]);
    st.assign('s1', 't2', 'live');
    w.flush();
    expect(st.coverage('t1')).toHaveLength(1);
    expect(t1.snapshot().sections[0]?.tractorId).toBe('t2');
    expect(w.closes).toEqual([]);
  });

  it('ends the session with 4403 when the peer writes beyond its role, 4429 when it floods', () => {
    const st = createStationJob();
    const w = wire();
    const s = session(st, { role: 'tractor', id: 't1' }, w.a, {
      limits: { maxMessageBytes: 1_000, messagesPerS: 1, burst: 3 },
    });
    s.start();
    const rogue = replicaOf(st, station('fake'));
    const update = Y.encodeStateAsUpdate(rogue.doc, Y.encodeStateVector(st.doc));
    rogue.assign('s1', 't1', 'grab');
    const grab = Y.encodeStateAsUpdate(rogue.doc, Y.encodeStateVector(st.doc));
    const msg = (u: Uint8Array): Uint8Array => {
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_TYPE.sync);
      syncProtocol.writeUpdate(enc, u);
      return encoding.toUint8Array(enc);
    };
    s.handle(msg(update));
    s.handle(msg(grab));
    expect(w.closes).toEqual([{ side: 'a', code: CLOSE_CODE.forbidden }]);
    const w2 = wire();
    const s2 = session(st, { role: 'viewer', id: 'v' }, w2.a, {
      limits: { maxMessageBytes: 1_000, messagesPerS: 1, burst: 3 },
    });
    for (let i = 0; i < 5; i++) s2.handle(msg(update));
    expect(w2.closes).toEqual([{ side: 'a', code: CLOSE_CODE.rateLimited }]);
    const w3 = wire();
    const s3 = session(st, { role: 'viewer', id: 'v' }, w3.a, {
      limits: { maxMessageBytes: 10, messagesPerS: 1, burst: 3 },
    });
    s3.handle(new Uint8Array(11));
    expect(w3.closes).toEqual([{ side: 'a', code: CLOSE_CODE.tooLarge }]);
  });

  it("does not pass a viewer's presence on to the other peers, and shows it the others'", () => {
    const st = createStationJob();
    const awareness = new Awareness(st.doc);
    awareness.setLocalState(null);
    const clock = new ManualClock();
    const gate = new UpdateGate(st.doc, clock);
    const open = (principal: Principal, channel: MessageChannel): SyncSession =>
      new SyncSession({ doc: st.doc, gate, awareness, principal, channel, clock });
    const presence = (name: string): Uint8Array => {
      const doc = new Y.Doc();
      const own = new Awareness(doc);
      own.setLocalState({ user: name });
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_TYPE.awareness);
      encoding.writeVarUint8Array(enc, encodeAwarenessUpdate(own, [doc.clientID]));
      return encoding.toUint8Array(enc);
    };
    const viewerWire = wire();
    const operatorWire = wire();
    const viewer = open({ role: 'viewer', id: 'v' }, viewerWire.a);
    const operator = open({ role: 'operator', id: 'o' }, operatorWire.a);
    viewer.handle(presence('a viewer who would be seen everywhere'));
    expect([...awareness.getStates().values()]).toEqual([]);
    operator.handle(presence('Anna'));
    expect([...awareness.getStates().values()]).toEqual([{ user: 'Anna' }]);
    expect(viewerWire.closes).toEqual([]);
  });
});
