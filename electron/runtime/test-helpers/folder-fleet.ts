/**
 * A station on a data folder opened the way `headland serve` opens it (lock, fleet key, history,
 * audit log, job record, recordings, the job document, damage raised as alerts), with simulated
 * tractors, on a manual clock: for tests of restarts, crashes and damaged files.
 */
import { openDataFolder, type DataFolder } from '../data-folder.js';
import { createSimulatedStation, type SimulatedStation } from '../simulation.js';
import { ManualClock } from '../../time/index.js';
import { demoField } from '../../sim/test-helpers/demo-fleet.js';

export interface FolderFleet {
  clock: ManualClock;
  folder: DataFolder;
  sim: SimulatedStation;
  /** Advances simulated time in 10 ms steps (every timer fires in order). */
  run(ms: number): void;
  close(): void;
  /**
   * Stops the station as kill -9 would: nothing more is written, nothing is flushed or closed
   * (the clock simply no longer moves); only what the OS frees with the process is let go — the
   * audit log's descriptor, and the lock, whose file stays behind as a dead process's would.
   */
  crash(): void;
}

export function folderFleet(dataDir: string, count = 3, lines: string[] = []): FolderFleet {
  const clock = new ManualClock();
  const log = (line: string): void => void lines.push(line);
  const folder = openDataFolder({
    dir: dataDir,
    clock,
    station: 'test station',
    log,
  });
  let sim: SimulatedStation;
  try {
    sim = createSimulatedStation({
      clock,
      field: demoField(),
      simCount: count,
      link: 'local',
      dataDir,
      syncDir: dataDir,
      store: folder.store,
      audit: folder.audit,
      history: folder.history,
      recorder: folder.recorder,
      fleetKey: folder.fleetKey,
      startupAlerts: folder.alerts,
      log,
    });
  } catch (error) {
    folder.close();
    throw error;
  }
  folder.reportRecordingProblemsTo((message) =>
    sim.station.raiseAlert('warning', 'recorder', message),
  );
  const run = (ms: number): void => {
    for (let t = 0; t < ms; t += 10) clock.advance(10);
  };
  run(50);
  return {
    clock,
    folder,
    sim,
    run,
    close() {
      sim.station.save();
      sim.close();
      folder.close();
    },
    crash() {
      folder.audit.close();
      folder.lock.abandon();
    },
  };
}
