/**
 * Each machine's pace against its plan: seconds it has taken per second of planned work, measured
 * over everything it has worked since its first report of work (not a short window, so a turn, a
 * transit or a wait under the separation guard weighs by how often it happens, not by whether it
 * happens to fall in the window). Until a machine has worked a good share of its plan the pace
 * leans on the plan's own (1): the measured time and planned time start from a prior of
 * `priorS` planned seconds each.
 */

/**
 * A silence longer than this between two reports of work counts as this long: it is a stop, a
 * pause or a lost link, whose length says nothing about how fast the rest of the work goes (the
 * ETA gives way to the reason meanwhile). It is longer than the headland turns and the waits
 * under the separation guard of the executed benchmark runs, which do belong in the pace.
 */
export const MAX_COUNTED_GAP_MS = 120_000;
/** The plan is trusted as much as this share of a machine's planned time measured… */
export const PLAN_PRIOR_SHARE = 0.25;
/** …and never less than this (planned seconds), so a short plan is not judged by one turn. */
export const MIN_PLAN_PRIOR_S = 30;
/**
 * A pace outside these bounds is not believed: a machine four times slower than planned has a
 * fault the operator sees elsewhere, and this bound keeps its ETA from growing without limit.
 */
export const PACE_MIN = 0.5;
export const PACE_MAX = 4;

interface PaceTrack {
  lastMs: number;
  lastM2: number;
  /** Time counted since the first report of work (gaps capped), ms. */
  countedMs: number;
  /** Unique area worked since the first report of work, m². */
  workedM2: number;
}

export class PaceMeter {
  private readonly tracks = new Map<string, PaceTrack>();

  /** A machine's cumulative unique area at `tMs` (reports of work, in time order). */
  record(tractorId: string, tMs: number, uniqueM2: number): void {
    const track = this.tracks.get(tractorId);
    if (!track) {
      this.tracks.set(tractorId, { lastMs: tMs, lastM2: uniqueM2, countedMs: 0, workedM2: 0 });
      return;
    }
    if (tMs < track.lastMs) return;
    track.countedMs += Math.min(tMs - track.lastMs, MAX_COUNTED_GAP_MS);
    track.workedM2 += Math.max(0, uniqueM2 - track.lastM2);
    track.lastMs = tMs;
    track.lastM2 = Math.max(track.lastM2, uniqueM2);
  }

  /** When the machine last reported work (undefined before its first report). */
  lastWorkMs(tractorId: string): number | undefined {
    return this.tracks.get(tractorId)?.lastMs;
  }

  /**
   * Seconds taken per planned second, where the plan works `plannedSPerM2` seconds per m² (its
   * turns and transit included) over `plannedS` seconds in all. Time since the last report of
   * work counts up to `nowMs` (capped like any gap), so a machine waiting shows a slower pace —
   * bounded by PACE_MAX — rather than the last figure.
   */
  pace(tractorId: string, plannedSPerM2: number, plannedS: number, nowMs?: number): number {
    const track = this.tracks.get(tractorId);
    if (!track || !(plannedSPerM2 > 0)) return 1;
    const openMs =
      nowMs === undefined ? 0 : Math.min(Math.max(0, nowMs - track.lastMs), MAX_COUNTED_GAP_MS);
    const priorS = Math.max(MIN_PLAN_PRIOR_S, PLAN_PRIOR_SHARE * plannedS);
    const takenS = (track.countedMs + openMs) / 1000 + priorS;
    const plannedDoneS = track.workedM2 * plannedSPerM2 + priorS;
    return Math.min(PACE_MAX, Math.max(PACE_MIN, takenS / plannedDoneS));
  }
}
