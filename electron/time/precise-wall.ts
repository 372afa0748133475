/**
 * Wall-clock time with sub-millisecond resolution, for the timestamps of CAN frames: a capture
 * trusted in an incident is compared with another machine's to well under a millisecond, and
 * `Date.now()` counts whole milliseconds. The monotonic clock is anchored to the wall clock, so
 * between anchors the time never goes backwards; it is anchored again only when the two part by
 * more than a millisecond, that is when the system clock was set (the stamps then follow it, as
 * a capture should show).
 */

/** How far the anchored time may stray from `Date.now()` (which floors) before it is re-anchored. */
const REANCHOR_BEYOND_MS = 1;

let offsetMs = performance.timeOrigin;

export function preciseWallNow(): number {
  const mono = performance.now();
  const wall = Date.now();
  if (Math.abs(mono + offsetMs - (wall + 0.5)) > 0.5 + REANCHOR_BEYOND_MS)
    offsetMs = wall + 0.5 - mono;
  return mono + offsetMs;
}

/**
 * The machine's monotonic clock in milliseconds (CLOCK_MONOTONIC): unlike `performance.now()`,
 * whose origin is each process's start, the same in every process on the machine, so a moment
 * one process saw can be set against another's without either wall clock.
 */
export function machineMonotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
