/**
 * Real-time scheduling for the safety core's thread. On a loaded machine a thread at the normal
 * policy waits its turn behind every busy process, and the tractors stop themselves after
 * 400 ms without a heartbeat. Under SCHED_FIFO the core runs as soon as its timer or socket
 * wakes it, ahead of every normal thread (the station's main thread, exports, other programs);
 * the kernel still keeps 5% of each second for them (sched_rt_runtime_us). The core sleeps
 * between frames and never waits on another thread (no thread pool, no port lock), so it cannot
 * hold a core for long. Asking needs CAP_SYS_NICE or an rtprio limit (docs/safety.md).
 */
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';

/** Above the default of real-time helpers (1–10), below the kernel's own threads (50, 99). */
export const CORE_FIFO_PRIORITY = 20;

export type RealtimeResult = { ok: true; policy: string } | { ok: false; reason: string };

/** Puts the calling thread under SCHED_FIFO; says why not where it cannot. */
export function scheduleThisThreadRealtime(): RealtimeResult {
  if (process.platform !== 'linux') return { ok: false, reason: `not on ${process.platform}` };
  try {
    // The thread's own id: /proc/thread-self names it (process.pid is the whole process's).
    const tid = readlinkSync('/proc/thread-self').split('/').pop() ?? '';
    execFileSync('chrt', ['--fifo', '--pid', String(CORE_FIFO_PRIORITY), tid], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 2_000,
    });
    return { ok: true, policy: `SCHED_FIFO ${CORE_FIFO_PRIORITY}` };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return {
      ok: false,
      reason: stderr || (error instanceof Error ? error.message : String(error)),
    };
  }
}
