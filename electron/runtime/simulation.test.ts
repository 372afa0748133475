import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEMO_FIELD_PATH } from './app-paths.js';
import { createSimulatedStation, type SimulatedStation } from './simulation.js';
import { loadField } from './station.js';
import { ManualClock } from '../time/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function simulated(count: number): Promise<{
  sim: SimulatedStation;
  clock: ManualClock;
  run: (ms: number) => Promise<void>;
}> {
  const clock = new ManualClock();
  const dir = mkdtempSync(join(tmpdir(), 'headland-replicas-'));
  dirs.push(dir);
  const sim = createSimulatedStation({
    clock,
    field: await loadField(DEMO_FIELD_PATH),
    simCount: count,
    link: 'can',
    syncDir: dir,
  });
  const run = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t++) {
      clock.advance(1);
      for (let i = 0; i < 4; i++) await Promise.resolve();
    }
  };
  return { sim, clock, run };
}

const sv = (doc: Y.Doc): string => Buffer.from(Y.encodeStateVector(doc)).toString('hex');

describe('simulated tractors on the CAN fleet link hold replicas of the job', () => {
  it('the station records the coverage it hears (once, crash-safe); a cut tractor catches up', async () => {
    const { sim, run } = await simulated(3);
    const { station, replicas, replicaHub } = sim;
    await run(2_000);
    expect(station.command({ type: 'startJob' }, 'test').ok).toBe(true);
    await run(120_000);
    const job = station.jobDocument();
    if (!job || !replicas || !replicaHub) throw new Error('no replicas');
    const stationClient = job.doc.clientID;
    const chunksOf = (id: string, client: number): string[] =>
      [...job.doc.getMap('coverage').keys()].filter((k) => k.startsWith(`${id}/${client}/`));
    for (const [id, replica] of replicas.replicas) {
      // In contact, the station writes the coverage it hears; the replica writes none.
      expect(chunksOf(id, stationClient).length).toBeGreaterThan(0);
      expect(replica.segmentsRecorded).toBe(0);
    }

    const cut = replicas.replicas.get('sim-02');
    if (!cut) throw new Error('no replica for sim-02');
    sim.transport.setConnected('sim-02', false);
    await run(20_000);
    sim.transport.setConnected('sim-02', true);
    expect(station.command({ type: 'pauseJob' }, 'test').ok).toBe(true);
    await run(5_000);
    for (const replica of replicas.replicas.values()) expect(sv(replica.job.doc)).toBe(sv(job.doc));
    // Whatever the cut tractor recorded itself before its safe stop reached the station.
    expect(chunksOf('sim-02', cut.job.doc.clientID).length > 0).toBe(cut.segmentsRecorded > 0);
    expect(replicaHub.stats().gate?.rejected).toBe(0);
    expect(replicaHub.peer('sim-02')?.sessions).toBeGreaterThanOrEqual(2);
    sim.close();
  });
});
