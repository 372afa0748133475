/**
 * Real-time scheduling for the safety core's process. On a loaded machine a process at the
 * normal policy waits its turn behind every busy one, and the tractors stop themselves after
 * 400 ms without a heartbeat. Under SCHED_FIFO the core runs as soon as its timer or socket
 * wakes it, ahead of every normal thread (the station's own process, exports, other programs);
 * the kernel still keeps 5% of each second for them (sched_rt_runtime_us). Every thread of the
 * process is moved, not only the one running JavaScript: the garbage collector's helpers work
 * for it, and a helper left at the normal policy would make it wait its turn after all. The core
 * sleeps between frames, so it cannot hold a CPU for long. Asking needs CAP_SYS_NICE or an rtprio
 * limit (docs/safety.md).
 */
import { execFileSync } from 'node:child_process';

/** Above the default of real-time helpers (1–10), below the kernel's own threads (50, 99). */
export const CORE_FIFO_PRIORITY = 20;

export type RealtimeResult = { ok: true; policy: string } | { ok: false; reason: string };

/** Puts every thread of this process under SCHED_FIFO (threads started later inherit it). */
export function scheduleThisProcessRealtime(): RealtimeResult {
  if (process.platform !== 'linux') return { ok: false, reason: `not on ${process.platform}` };
  try {
    execFileSync(
      'chrt',
      ['--fifo', '--all-tasks', '--pid', String(CORE_FIFO_PRIORITY), String(process.pid)],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 2_000 },
    );
    return { ok: true, policy: `SCHED_FIFO ${CORE_FIFO_PRIORITY}` };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return {
      ok: false,
      reason: stderr || (error instanceof Error ? error.message : String(error)),
    };
  }
}
