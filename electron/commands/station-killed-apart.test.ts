/**
 * The station's process killed outright (kill -9, a crash) while tractors in another process
 * work: its safety core, in a process of its own, is left without a station. It stops the whole
 * fleet at once, so no machine waits out its silence stop still driving, and ends, so a station
 * started again on the same data folder gets the CAN port back.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, exited, killStartedClis, startCli } from './test-helpers/cli-process.js';
import { apartServeArgs, startApartStation } from './test-helpers/apart-station.js';

afterEach(killStartedClis);

/** Whether a process of this id still runs: not gone, and not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('a station killed while tractors in another process work', () => {
  it('has its safety core stop the fleet and end, and a new station gets the CAN port back', async () => {
    const apart = await startApartStation(0, 3);
    const first = await apart.state();
    if (first.job.state === 'planned')
      expect(await apart.command({ type: 'startJob' })).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 2_000)); // out of the parking and at work
    const moving = await apart.state();
    expect(moving.tractors.some((t) => t.state === 'working' || t.state === 'turning')).toBe(true);

    const corePid = Number(/safety core: running in process (\d+)/.exec(apart.serve.output())?.[1]);
    expect(corePid).toBeGreaterThan(0);
    expect(running(corePid)).toBe(true);
    apart.serve.child.kill('SIGKILL');
    await exited(apart.serve.child);
    apart.close();

    // The core ends at once (it lets the stop's frames leave first).
    expect(
      await eventually(
        () => running(corePid),
        (r) => !r,
        1_000,
      ),
    ).toBe(false);

    // The machines were stopped by the core's stop, not by their own watchdog: a machine the
    // station's stop already holds has nothing left to stop when the silence comes.
    await new Promise((r) => setTimeout(r, 1_000));
    const { child, output } = apart.remoteSim;
    child.kill('SIGTERM');
    await exited(child);
    expect(output()).not.toMatch(/stopped itself/);
    expect(output()).toMatch(/0 stop\(s\) of the tractors' own/);

    // A station started again on the same folder and CAN port opens both.
    const again = await startCli(
      apartServeArgs(0, apart.dataDir, apart.canPort),
      /listening on http:\/\/\S+/,
    );
    expect(again.output()).toContain(`socketcand server on 127.0.0.1:${apart.canPort}`);
  }, 120_000);
});
