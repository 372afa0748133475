import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoverageSegment } from '../fleet/index.js';
import { ManualClock } from '../time/index.js';
import { WRITE_AHEAD_MS } from './coverage-run-log.js';
import { JobMirror } from './job-mirror.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function mirror(clock: ManualClock, dataDir = folder()): JobMirror {
  const square: [number, number][] = [
    [10, 52],
    [10.01, 52],
    [10.01, 52.01],
    [10, 52.01],
  ];
  return new JobMirror({
    dataDir,
    clock,
    stationId: 'station',
    log: () => undefined,
    init: {
      jobId: 'job-1',
      name: 'Test job',
      boundary: [square],
      frameOrigin: [10, 52],
      sections: [{ id: 'S0001', name: 'S0001', polygon: [square], areaM2: 1_000_000 }],
    },
  });
}

function folder(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'headland-mirror-'));
  dirs.push(dataDir);
  return dataDir;
}

/** What a station hears in one progress report: the next metres of a swath along y = `y`. */
function increment(x0: number, x1: number, y = 0): CoverageSegment {
  return { tractorId: 'sim-01', start: [x0, y], end: [x1, y], widthM: 12, tMs: 0 };
}

describe('JobMirror coverage', () => {
  it('writes one log item per straight run, not one per progress report', () => {
    const clock = new ManualClock();
    const m = mirror(clock);
    for (let k = 0; k < 4; k++) {
      m.appendCoverage('sim-01', [increment(5 * k, 5 * (k + 1))]);
      clock.advance(2_000);
    }
    expect(m.job.coverage('sim-01')).toEqual([]);
    // The next swath, 12 m over: the first run is written whole.
    m.appendCoverage('sim-01', [increment(20, 15, 12)]);
    const log = m.job.coverage('sim-01');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ x0M: 0, y0M: 0, x1M: 20, y1M: 0, widthM: 12 });
    m.close();
  });

  it('writes a stopped machine’s open run within 10 s, and open runs on close', () => {
    const clock = new ManualClock();
    const m = mirror(clock);
    m.appendCoverage('sim-01', [increment(0, 5)]);
    clock.advance(9_999);
    expect(m.job.coverage('sim-01')).toEqual([]);
    clock.advance(1);
    expect(m.job.coverage('sim-01')).toHaveLength(1);
    m.appendCoverage('sim-01', [increment(5, 10)]);
    const job = m.job;
    m.close();
    expect(job.coverage('sim-01')).toHaveLength(2);
  });

  it('keeps an open run across a crash: written ahead within 500 ms, logged once at the next start', () => {
    const dataDir = folder();
    const clock = new ManualClock();
    const crashed = mirror(clock, dataDir);
    crashed.appendCoverage('sim-01', [increment(0, 5)]);
    clock.advance(WRITE_AHEAD_MS);
    crashed.appendCoverage('sim-01', [increment(5, 8)]);
    clock.advance(WRITE_AHEAD_MS);
    // Reported after the last write-ahead, then the process dies (nothing is closed).
    crashed.appendCoverage('sim-01', [increment(8, 9)]);
    clock.advance(WRITE_AHEAD_MS - 1);
    expect(crashed.job.coverage('sim-01')).toEqual([]);

    const restarted = mirror(new ManualClock(), dataDir);
    const log = restarted.job.coverage('sim-01');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ x0M: 0, x1M: 8, widthM: 12 });
    restarted.close();
    // Logged once: the write-ahead record went with the commit that logged it.
    const again = mirror(new ManualClock(), dataDir);
    expect(again.job.coverage('sim-01')).toHaveLength(1);
    again.close();
  });

  it('never logs a run twice when it closed after being written ahead', () => {
    const dataDir = folder();
    const clock = new ManualClock();
    const crashed = mirror(clock, dataDir);
    crashed.appendCoverage('sim-01', [increment(0, 5)]);
    clock.advance(WRITE_AHEAD_MS);
    // The next swath closes the run (logged) and opens another (written ahead with it).
    crashed.appendCoverage('sim-01', [increment(20, 15, 12)]);
    const restarted = mirror(new ManualClock(), dataDir);
    expect(restarted.job.coverage('sim-01').map((s) => [s.x0M, s.x1M, s.y0M])).toEqual([
      [0, 5, 0],
      [20, 15, 12],
    ]);
    restarted.close();
  });
});
