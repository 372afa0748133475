import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { localOrigin } from '../sync/index.js';
import { replicaFleet, segments, type ReplicaFleet } from './test-helpers/replica-fleet.js';

const sv = (doc: Y.Doc): string => Buffer.from(Y.encodeStateVector(doc)).toString('hex');

function converged(f: ReplicaFleet, ids = f.ids): boolean {
  const station = sv(f.station.doc);
  return ids.every((id) => sv(f.replicas.get(id)!.job.doc) === station);
}

function replica(f: ReplicaFleet, id: string) {
  const r = f.replicas.get(id);
  if (!r) throw new Error(`no replica ${id}`);
  return r;
}

describe('tractor replicas over the fleet link (virtual CAN bus)', () => {
  it('receive the job on join and converge with every tractor’s own coverage', async () => {
    const f = await replicaFleet(3);
    await f.runUntil(() => converged(f), 10_000);
    expect(converged(f)).toBe(true);
    expect(replica(f, 'sim-02').job.snapshot().sections).toHaveLength(4);

    replica(f, 'sim-01').job.appendCoverage('sim-01', segments(3, 0));
    replica(f, 'sim-03').job.appendCoverage('sim-03', segments(2, 12));
    f.station.assign('s1', 'sim-02', 'operator moved it');
    const ms = await f.runUntil(() => converged(f), 5_000);
    expect(converged(f)).toBe(true);
    expect(ms).toBeLessThan(1_000);
    for (const id of f.ids) {
      const job = replica(f, id).job;
      expect(job.coverage('sim-01')).toHaveLength(3);
      expect(job.coverage('sim-03')).toHaveLength(2);
      expect(job.snapshot().sections.find((s) => s.id === 's1')?.tractorId).toBe('sim-02');
    }
    expect(f.station.coverage('sim-01')).toEqual(segments(3, 0));
    expect(f.hub.recordsOwnCoverage('sim-01')).toBe(true);
    expect(f.hub.gate?.stats.rejected).toBe(0);
    f.close();
  });

  it('a tractor back from a radio cut catches up by state vectors: only what is missing flows', async () => {
    const f = await replicaFleet(3);
    await f.runUntil(() => converged(f), 10_000);
    const peer = f.hub.peer('sim-02')!;
    const sessionsBefore = peer.sessions;
    f.fleet.setConnected('sim-02', false);
    await f.run(2_000); // the link declares it lost; both sides end their sessions
    expect(peer.state).not.toBe('syncing');

    // While apart: the others and the station keep writing, and so does the cut-off tractor.
    for (let k = 0; k < 10; k++) {
      replica(f, 'sim-01').job.appendCoverage('sim-01', segments(4, 0, k * 40_000));
      replica(f, 'sim-03').job.appendCoverage('sim-03', segments(4, 12, k * 40_000));
      await f.run(500);
    }
    f.station.assign('s2', 'sim-03', 'replanned: sim-02 lost');
    replica(f, 'sim-02').job.appendCoverage('sim-02', segments(5, 24));
    await f.run(500);
    expect(converged(f, ['sim-01', 'sim-03'])).toBe(true);
    expect(replica(f, 'sim-02').job.coverage('sim-01')).toHaveLength(0);
    expect(f.station.coverage('sim-02')).toHaveLength(0);

    const sentBefore = peer.totals.bytesBeforeCompression;
    f.fleet.setConnected('sim-02', true);
    const ms = await f.runUntil(() => converged(f), 10_000);
    expect(converged(f)).toBe(true);
    expect(ms).toBeLessThan(2_000);
    expect(peer.sessions).toBe(sessionsBefore + 1);
    expect(f.station.coverage('sim-02')).toEqual(segments(5, 24));
    expect(replica(f, 'sim-02').job.coverage('sim-01')).toHaveLength(40);
    // Only the missing part went to sim-02: far less than the whole document.
    await f.run(200);
    const resent = peer.totals.bytesBeforeCompression - sentBefore;
    const whole = Y.encodeStateAsUpdate(f.station.doc).byteLength;
    expect(resent).toBeGreaterThan(0);
    expect(resent).toBeLessThan(whole / 2);
    f.close();
  });

  it('refuses a tractor writing another tractor’s coverage; the station’s replica is untouched', async () => {
    const f = await replicaFleet(2);
    await f.runUntil(() => converged(f), 10_000);
    const before = f.station.coverage('sim-02');
    const rogue = replica(f, 'sim-01').job.doc;
    // Bypass the typed API (which refuses) the way a hostile tractor would.
    rogue.transact(() => {
      const arr = new Y.Array<Uint8Array>();
      rogue.getMap('coverage').set(`sim-02/${rogue.clientID}/0`, arr);
      arr.push([Uint8Array.of(1, 2, 3)]);
    }, localOrigin('coverage'));
    await f.run(1_000);
    expect(f.hub.gate?.stats.byReason.forbidden).toBeGreaterThanOrEqual(1);
    expect(f.station.coverage('sim-02')).toEqual(before);
    expect(f.station.doc.getMap('coverage').has(`sim-02/${rogue.clientID}/0`)).toBe(false);
    expect(f.hub.peer('sim-01')?.state).not.toBe('syncing');

    // The honest tractor keeps syncing.
    replica(f, 'sim-02').job.appendCoverage('sim-02', segments(2, 12));
    await f.run(1_000);
    expect(f.station.coverage('sim-02')).toEqual(segments(2, 12));
    expect(replica(f, 'sim-02').job.doc.getMap('coverage').size).toBe(
      f.station.doc.getMap('coverage').size,
    );
    f.close();
  });

  it('an e-stop during a large rejoin is still confirmed within a few milliseconds', async () => {
    const f = await replicaFleet(3);
    await f.runUntil(() => converged(f), 10_000);
    f.fleet.setConnected('sim-03', false);
    await f.run(2_000);
    // A large backlog for sim-03: ~900 segments of the others' coverage.
    for (let k = 0; k < 60; k++) {
      replica(f, 'sim-01').job.appendCoverage('sim-01', segments(8, 0, k * 80_000));
      replica(f, 'sim-02').job.appendCoverage('sim-02', segments(7, 12, k * 80_000));
      await f.run(50);
    }
    await f.run(1_000);
    const backlog = Y.encodeStateAsUpdate(
      f.station.doc,
      Y.encodeStateVector(replica(f, 'sim-03').job.doc),
    ).byteLength;
    expect(backlog).toBeGreaterThan(10_000);

    const confirmedAt = new Map<string, number>();
    for (const id of f.ids)
      f.fleet.tractorPort(id).onMessage((m) => {
        if (m.kind === 'estop')
          f.fleet.tractorPort(id).send({ kind: 'stop-confirm', stopId: m.stopId });
      });
    f.fleet.stationPort().onMessage((from, m) => {
      if (m.kind === 'stop-confirm' && !confirmedAt.has(from)) confirmedAt.set(from, f.clock.now());
    });
    f.fleet.setConnected('sim-03', true);
    await f.runUntil(() => f.hub.peer('sim-03')?.state === 'syncing', 2_000);
    await f.run(300); // the step 2 is on the wire now
    expect(converged(f)).toBe(false);
    expect(f.bus.busLoad(100)).toBeGreaterThan(0.5);
    const t0 = f.clock.now();
    f.fleet.stationPort().broadcast({ kind: 'estop', stopId: 'stop-rejoin' });
    await f.runUntil(() => confirmedAt.size === 3, 1_000);
    const worst = Math.max(...[...confirmedAt.values()].map((t) => t - t0));
    expect(confirmedAt.size).toBe(3);
    expect(worst).toBeLessThanOrEqual(10);
    await f.runUntil(() => converged(f), 20_000);
    expect(converged(f)).toBe(true);
    f.close();
  });
});
