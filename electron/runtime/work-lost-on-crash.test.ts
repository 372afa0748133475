/**
 * What a station that dies (kill -9, power cut) loses of the work it reported: at most the last
 * second. Deterministic, on a simulated clock: the station is stopped dead at moments spread
 * over the job-record and write-ahead periods (nothing flushed, nothing closed; what was
 * written stays, as the page cache keeps it after a kill), reopened on its folder, and the
 * worked area it shows is compared with what it had reported over the seconds before.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderFleet, type FolderFleet } from './test-helpers/folder-fleet.js';

/** How often the test samples what the station reports (its UI snapshot rate is 200 ms). */
const SAMPLE_MS = 50;
/** Coverage log rounding: a 12 m implement over 8 cm. */
const ROUNDING_M2 = 1;

function worked(fleet: FolderFleet): number {
  return fleet.sim.station.snapshot().job.progress.workedHa * 1e4;
}

/** Starts or resumes the folder's job once the tractors are in, releasing what holds them. */
function setWorking(fleet: FolderFleet): void {
  const { station } = fleet.sim;
  fleet.run(1_000);
  for (const stop of station.snapshot().stops)
    station.command({ type: 'release', stopId: stop.id }, 'test');
  const state = station.jobState();
  expect(station.command({ type: state === 'planned' ? 'startJob' : 'resumeJob' }, 'test').ok).toBe(
    true,
  );
}

describe('a station that dies', () => {
  it('loses at most the last second of the work it reported, wherever the moment falls', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-lost-'));
    let fleet = folderFleet(dataDir);
    setWorking(fleet);
    fleet.run(60_000);
    const losses: number[] = [];
    // Moments spread over the 2 s job-record period and the 0.5 s write-ahead period.
    for (const offsetMs of [130, 370, 620, 880, 1_140, 1_390, 1_660, 1_910]) {
      const reported: { atMs: number; m2: number }[] = [];
      for (let t = 0; t < 6_000 + offsetMs; t += SAMPLE_MS) {
        fleet.run(SAMPLE_MS);
        reported.push({ atMs: t + SAMPLE_MS, m2: worked(fleet) });
      }
      const last = reported.at(-1) ?? { atMs: 0, m2: 0 };
      fleet.crash();
      fleet = folderFleet(dataDir);
      const restored = worked(fleet);
      const shown = [...reported].reverse().find((r) => r.m2 <= restored + ROUNDING_M2);
      const lostS =
        last.m2 - restored <= ROUNDING_M2 ? 0 : (last.atMs - (shown?.atMs ?? 0)) / 1_000;
      losses.push(lostS);
      expect(last.m2 - restored).toBeLessThan(last.m2 * 0.05);
      setWorking(fleet);
      fleet.run(20_000);
    }
    expect(Math.max(...losses), JSON.stringify(losses)).toBeLessThanOrEqual(1);
    fleet.close();
  });
});
