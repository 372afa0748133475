/**
 * The measuring instruments of a real-clock benchmark (a socketcand client standing in for a
 * machine's receiver, the simulated machines' own process) stand for hardware with CPUs of their
 * own. On a shared 2-core machine they take turns with the station under test, so their own
 * wake-up delay would be counted against the station. Where the system allows it they run under
 * a real-time scheduling policy (`chrt --fifo`), so what they time is the station's output. The
 * conditions say which was used.
 */
import { spawnSync } from 'node:child_process';
import { CORE_FIFO_PRIORITY } from '../electron/safety-process/index.js';

/**
 * Above the station's safety core, which runs under SCHED_FIFO too: a receiver below it is woken
 * only when the core's process sleeps (on this machine the kernel leaves the woken receiver on
 * the core's CPU rather than move it), so a long turn of the core read as the receiver's delay,
 * which a machine with a CPU of its own does not have. The receiver only reads and timestamps.
 */
const FIFO_PRIORITY = String(CORE_FIFO_PRIORITY + 10);

/**
 * The simulated machines' process gets a larger share of the CPU (nice −10) rather than a
 * real-time policy: twenty machines' work at real-time priority would starve the station's own
 * main thread, which the core's watchdog then rightly takes for a hang.
 */
const MACHINES_NICE = '-10';

export interface RigPriority {
  /** The command and arguments to spawn, wrapped in `chrt` where it works. */
  wrap(command: string, args: readonly string[]): [string, string[]];
  /** What the conditions report: the policy the instruments ran under. */
  readonly described: string;
  /** The simulated machines' command, wrapped in `nice` where it works. */
  wrapMachines(command: string, args: readonly string[]): [string, string[]];
  readonly machinesDescribed: string;
}

/** Whether `command …args true` runs here (the system grants what it asks for). */
function wrapperWorks(command: string, args: readonly string[]): boolean {
  if (process.env.BENCH_RIG_PRIORITY === 'normal') return false;
  return spawnSync(command, [...args, 'true'], { stdio: 'ignore' }).status === 0;
}

export function rigPriority(): RigPriority {
  const asIs = (command: string, args: readonly string[]): [string, string[]] => [
    command,
    [...args],
  ];
  const nice = wrapperWorks('nice', ['-n', MACHINES_NICE]);
  const machines = {
    wrapMachines: nice
      ? (command: string, args: readonly string[]): [string, string[]] => [
          'nice',
          ['-n', MACHINES_NICE, command, ...args],
        ]
      : asIs,
    machinesDescribed: nice ? `nice ${MACHINES_NICE}` : 'normal',
  };
  if (!wrapperWorks('chrt', ['--fifo', FIFO_PRIORITY]))
    return {
      wrap: asIs,
      described: 'normal (chrt --fifo refused or BENCH_RIG_PRIORITY=normal)',
      ...machines,
    };
  return {
    wrap: (command, args) => ['chrt', ['--fifo', FIFO_PRIORITY, command, ...args]],
    described: `SCHED_FIFO ${FIFO_PRIORITY} (chrt)`,
    ...machines,
  };
}
