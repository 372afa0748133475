/**
 * CPU time a benchmark run spent: this process's threads and the child processes it has waited
 * for (the `headland serve`, office and tractor processes a suite starts and stops). On a busy
 * machine the wall time of a suite stretches with the load beside it; its CPU time hardly
 * does, so it is the better guess of what the same run takes on a quiet machine.
 */
import { readFileSync } from 'node:fs';

/** proc(5): utime, stime, cutime, cstime are fields 14–17, in clock ticks. */
const FIRST_TIME_FIELD = 14;
/** USER_HZ: the ticks per second Linux reports to user space (fixed at 100 by its ABI). */
const TICKS_PER_S = 100;

/**
 * Seconds of CPU in /proc/<pid>/stat's text: the process's own and its waited-for children's.
 * The command name (field 2) may hold spaces and parentheses, so fields count from the last ')'.
 */
export function parseCpuSeconds(stat: string): number | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  // The rest starts at field 3 (the state).
  const fields = stat
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const ticks = [0, 1, 2, 3].map((i) => Number(fields[FIRST_TIME_FIELD - 3 + i]));
  if (ticks.some((t) => !Number.isFinite(t))) return undefined;
  return ticks.reduce((s, t) => s + t, 0) / TICKS_PER_S;
}

/** This process's CPU seconds with its ended children's, or undefined off Linux. */
export function cpuSeconds(): number | undefined {
  try {
    return parseCpuSeconds(readFileSync('/proc/self/stat', 'utf8'));
  } catch {
    return undefined;
  }
}
