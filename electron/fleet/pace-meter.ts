/**
 * How fast the machines get through their plan: seconds taken per second of the plan got
 * through, where what is got through is read off the plan's own time left (progress.ts and
 * section-time-left.ts: the work along each section's swaths, and the way — the drive to each
 * section and the turns ahead). The time left the ETA scales is the same measure, so a drive or
 * a turn counts on both sides alike. (A pace of planned seconds per square metre worked rose all
 * along a drive, no ground being worked, while the time left fell with it: the drive went into
 * the ETA twice, 15% high on the benchmark's three-machine orchard run.)
 *
 * One pace for the whole plan, pooled over the fleet. The plan's time left is right in sum far
 * more often than part by part: on the executed benchmark the machines worked along their swaths
 * at 0.93–0.97 of the plan, turned at 0.72–0.83 and drove at 1.03–1.48 of it, and their time
 * left at those three paces was 5–10% off (Pylon field × 3 at 75%: 1.10 for the machine with more
 * drives ahead) where the plan's own time left was within 2% of what they took. A machine's own
 * pace carries its one slow stretch (a swath behind another, a detour) onto the rest of its run,
 * and the job's ETA, the greatest of the machines', takes whichever read high; pooled, the plan's
 * error that every machine shares is measured and one machine's mishap is not. A machine much
 * slower than the rest all along (a worn implement, a wet patch) keeps its own pace:
 * OWN_PACE_MARGIN.
 *
 * Time the separation guard slows or holds a machine counts in none: it is a delay served,
 * not a pace (one machine slowed beside another for a while read 5–10% slow for the rest of its
 * run, and its ETA was the job's).
 *
 * Measured over everything since the first plan (not a short window, so a turn, a drive or a
 * wait weighs by how often it happens, not by whether it falls in the window), and leaning on
 * the plan's own pace (1) until enough is measured: time taken and plan got through start from a
 * prior of planned seconds each.
 */

/**
 * Time more than this past a machine's last report of work (or past the start of its plan,
 * before any) does not count: it is a stop, a pause or a lost link, whose length says nothing
 * about how fast the rest of the work goes (the ETA gives way to the reason meanwhile). It is
 * longer than the headland turns and the drives between sections of the executed benchmark
 * runs, which do belong in the pace.
 */
export const MAX_COUNTED_GAP_MS = 120_000;
/** A pace trusts the plan as much as this share of the machine's planned time… */
export const PLAN_PRIOR_SHARE = 0.25;
/** …and never less than this (planned seconds), so a short plan is not judged by one swath. */
export const MIN_PLAN_PRIOR_S = 30;
/**
 * A machine whose own pace is this much slower than the rest of the fleet's keeps its own: it is
 * slower all along, not by one mishap. (On the executed benchmark's runs measured no machine
 * went past it: their ETAs were those of the fleet's pace alone.)
 */
export const OWN_PACE_MARGIN = 1.25;
/**
 * A pace outside these bounds is not believed: a machine four times slower than planned has a
 * fault the operator sees elsewhere, and this bound keeps its ETA from growing without limit.
 */
export const PACE_MIN = 0.5;
export const PACE_MAX = 4;

/** A machine's plan as its pace reads it now. */
export interface PlanReading {
  /** The plan in force (a new object for every new plan: its time left is read afresh). */
  plan: object;
  /** The plan's seconds still to come along the machine's swaths, in turns, and in drives. */
  workLeftS: number;
  turnLeftS: number;
  driveLeftS: number;
  /**
   * The machine is slowed or held by the separation guard now: the time since the last reading
   * is a delay it has served, not its pace, and counts on neither side. (One machine slowed
   * beside another for a while otherwise read 5–10% slow for the rest of its run.)
   */
  delayed?: boolean;
}

/** Time taken and plan got through, s. */
interface Tally {
  takenS: number;
  usedS: number;
}

interface PaceTrack {
  /** When the machine last reported work (undefined before its first report). */
  lastWorkMs: number | undefined;
  /** Time slowed or held by the guard since the last report of work (ms). */
  heldMs: number;
  /** The last reading: its plan, time and the plan's time left then (each kind apart). */
  plan: object | null;
  readMs: number;
  left: Left;
  /** When the plan now in force was first read (time counts from there before any work). */
  planFromMs: number;
  tally: Tally;
}

type Left = Record<'work' | 'turn' | 'drive', number>;

export class PaceMeter {
  private readonly tracks = new Map<string, PaceTrack>();

  /** A machine's report of work at `tMs`. */
  record(tractorId: string, tMs: number): void {
    const track = this.track(tractorId);
    const last = track.lastWorkMs;
    if (last !== undefined && tMs <= last) return;
    track.lastWorkMs = tMs;
    track.heldMs = 0;
  }

  /**
   * Seconds the guard has slowed or held the machine since its last report of work (since it
   * was first read, before any): time on its way that did not take it any further.
   */
  heldS(tractorId: string): number {
    return (this.tracks.get(tractorId)?.heldMs ?? 0) / 1000;
  }

  /** When the machine last reported work (undefined before its first report). */
  lastWorkMs(tractorId: string): number | undefined {
    return this.tracks.get(tractorId)?.lastWorkMs;
  }

  /**
   * Folds the time since the last reading into every machine read: the time it took (at work
   * and on its way) and how much of its plan it got through. A new plan is read afresh from
   * here. Reading again at the same time changes nothing.
   */
  read(nowMs: number, readings: ReadonlyMap<string, PlanReading>): void {
    for (const [id, reading] of readings) this.readOne(this.track(id), reading, nowMs);
  }

  /**
   * A machine's seconds per planned second of what it has left: the fleet's, or its own where it
   * is OWN_PACE_MARGIN slower than the rest (1 before anything is measured). The fleet's leaves
   * out such machines, so one slow machine does not make the others' ETAs long.
   */
  pace(tractorId: string, plannedS: number): number {
    const priorS = Math.max(MIN_PLAN_PRIOR_S, PLAN_PRIOR_SHARE * plannedS);
    const all = { takenS: 0, usedS: 0 };
    for (const { tally } of this.tracks.values()) {
      all.takenS += tally.takenS;
      all.usedS += tally.usedS;
    }
    const ratio = (takenS: number, usedS: number): number => (takenS + priorS) / (usedS + priorS);
    const slower = (t: Tally): boolean =>
      ratio(t.takenS, t.usedS) >
      OWN_PACE_MARGIN * ratio(all.takenS - t.takenS, all.usedS - t.usedS);
    const own = this.tracks.get(tractorId)?.tally;
    if (own && slower(own)) return bounded(ratio(own.takenS, own.usedS));
    const fleet = { takenS: 0, usedS: 0 };
    for (const { tally } of this.tracks.values()) {
      if (slower(tally)) continue;
      fleet.takenS += tally.takenS;
      fleet.usedS += tally.usedS;
    }
    return bounded(ratio(fleet.takenS, fleet.usedS));
  }

  private track(tractorId: string): PaceTrack {
    let track = this.tracks.get(tractorId);
    if (!track) {
      track = {
        lastWorkMs: undefined,
        heldMs: 0,
        plan: null,
        readMs: 0,
        left: { work: 0, turn: 0, drive: 0 },
        planFromMs: 0,
        tally: { takenS: 0, usedS: 0 },
      };
      this.tracks.set(tractorId, track);
    }
    return track;
  }

  private readOne(track: PaceTrack, reading: PlanReading, nowMs: number): void {
    const fresh = track.plan !== reading.plan;
    if (!fresh && nowMs <= track.readMs) return;
    // Counted up to MAX_COUNTED_GAP_MS past the last work (or the plan's start, before any).
    const activeFromMs = Math.max(track.lastWorkMs ?? -Infinity, track.planFromMs);
    const countedMs = Math.max(
      0,
      Math.min(nowMs, activeFromMs + MAX_COUNTED_GAP_MS) - track.readMs,
    );
    if (fresh) track.planFromMs = nowMs;
    else if (reading.delayed) track.heldMs += countedMs;
    else {
      // Each kind counted down apart: one read back up takes nothing off another's countdown.
      track.tally.takenS += countedMs / 1000;
      track.tally.usedS +=
        Math.max(0, track.left.work - reading.workLeftS) +
        Math.max(0, track.left.turn - reading.turnLeftS) +
        Math.max(0, track.left.drive - reading.driveLeftS);
    }
    track.plan = reading.plan;
    track.readMs = nowMs;
    track.left = { work: reading.workLeftS, turn: reading.turnLeftS, drive: reading.driveLeftS };
  }
}

function bounded(pace: number): number {
  return Math.min(PACE_MAX, Math.max(PACE_MIN, pace));
}
