/**
 * How fast the machines get through their plan: seconds taken per second of the plan got
 * through, where what is got through is read off the plan's own time left (progress.ts and
 * section-time-left.ts: the work along each section's swaths, and the way — the drive to each
 * section and the turns ahead). The time left the ETA scales is the same measure, so a drive or
 * a turn counts on both sides alike. (A pace of planned seconds per square metre worked rose all
 * along a drive, no ground being worked, while the time left fell with it: the drive went into
 * the ETA twice, 15% high on the benchmark's three-machine orchard run.)
 *
 * Three paces, because they err apart (section-time-left.ts parts the time left so):
 *  - work: each machine's own, over the time it reports work (its own speed along the swaths);
 *  - turns and drives: the fleet's, each over every machine's time off work on that kind of way.
 *    The plan's model of the way errs alike for every machine, and that carries on; one
 *    machine's way round another does not, and read as that machine's own pace it went into its
 *    ETA for the rest of its run.
 * Time the separation guard slows or holds a machine counts in none: it is a delay served,
 * not a pace (one machine slowed beside another for a while read 5–10% slow for the rest of its
 * run, and its ETA was the job's).
 *
 * Each is measured over everything since the first plan (not a short window, so a turn, a drive
 * or a wait weighs by how often it happens, not by whether it falls in the window), and leans on
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
/**
 * Reports of work this close together are one stretch of work (the telemetry carries one every
 * 100 ms while a machine works): the time between them is work time, any longer gap is way.
 */
export const WORK_REPORT_GAP_MS = 1_000;
/** A machine's own work pace trusts the plan as much as this share of its planned time… */
export const PLAN_PRIOR_SHARE = 0.25;
/** …and never less than this (planned seconds), so a short plan is not judged by one swath. */
export const MIN_PLAN_PRIOR_S = 30;
/** The fleet's turn and drive paces trust the plan as much as this many planned seconds each. */
export const WAY_PRIOR_S = 30;
/**
 * A pace outside these bounds is not believed: a machine four times slower than planned has a
 * fault the operator sees elsewhere, and this bound keeps its ETA from growing without limit.
 */
export const PACE_MIN = 0.5;
export const PACE_MAX = 4;

/** Drives and turns: the two kinds of way, each with the fleet's own pace. */
export type WayKind = 'turn' | 'drive';

/** A machine's plan as its pace reads it now. */
export interface PlanReading {
  /** The plan in force (a new object for every new plan: its time left is read afresh). */
  plan: object;
  /** The plan's seconds still to come along the machine's swaths, in turns, and in drives. */
  workLeftS: number;
  turnLeftS: number;
  driveLeftS: number;
  /** The kind of way the machine is on, or comes to next: its time off work goes there. */
  leg: WayKind;
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
  /** Time between reports of work, summed (ms). */
  workMs: number;
  /** Time slowed or held by the guard since the last report of work (ms). */
  heldMs: number;
  /** The last reading: its plan, time, the work time then and the plan's time left then. */
  plan: object | null;
  readMs: number;
  workMsAtRead: number;
  left: Record<'work' | WayKind, number>;
  /** When the plan now in force was first read (time counts from there before any work). */
  planFromMs: number;
  tallies: Record<'work' | WayKind, Tally>;
}

export class PaceMeter {
  private readonly tracks = new Map<string, PaceTrack>();

  /** A machine's report of work at `tMs`. */
  record(tractorId: string, tMs: number): void {
    const track = this.track(tractorId);
    const last = track.lastWorkMs;
    if (last !== undefined && tMs <= last) return;
    if (last !== undefined && tMs - last <= WORK_REPORT_GAP_MS) track.workMs += tMs - last;
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

  /** A machine's seconds per planned second along its swaths (1 before anything is measured). */
  workPace(tractorId: string, plannedS: number): number {
    const work = this.tracks.get(tractorId)?.tallies.work;
    if (!work) return 1;
    const priorS = Math.max(MIN_PLAN_PRIOR_S, PLAN_PRIOR_SHARE * plannedS);
    return bounded((work.takenS + priorS) / (work.usedS + priorS));
  }

  /** The fleet's seconds per planned second in turns, or in drives. */
  wayPace(kind: WayKind): number {
    let takenS = WAY_PRIOR_S;
    let usedS = WAY_PRIOR_S;
    for (const { tallies } of this.tracks.values()) {
      takenS += tallies[kind].takenS;
      usedS += tallies[kind].usedS;
    }
    return bounded(takenS / usedS);
  }

  private track(tractorId: string): PaceTrack {
    let track = this.tracks.get(tractorId);
    if (!track) {
      track = {
        lastWorkMs: undefined,
        workMs: 0,
        heldMs: 0,
        plan: null,
        readMs: 0,
        workMsAtRead: 0,
        left: { work: 0, turn: 0, drive: 0 },
        planFromMs: 0,
        tallies: {
          work: { takenS: 0, usedS: 0 },
          turn: { takenS: 0, usedS: 0 },
          drive: { takenS: 0, usedS: 0 },
        },
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
      const workMs = Math.min(countedMs, Math.max(0, track.workMs - track.workMsAtRead));
      const { tallies } = track;
      tallies.work.takenS += workMs / 1000;
      tallies[reading.leg].takenS += (countedMs - workMs) / 1000;
      tallies.work.usedS += Math.max(0, track.left.work - reading.workLeftS);
      tallies.turn.usedS += Math.max(0, track.left.turn - reading.turnLeftS);
      tallies.drive.usedS += Math.max(0, track.left.drive - reading.driveLeftS);
    }
    track.plan = reading.plan;
    track.readMs = nowMs;
    track.workMsAtRead = track.workMs;
    track.left = { work: reading.workLeftS, turn: reading.turnLeftS, drive: reading.driveLeftS };
  }
}

function bounded(pace: number): number {
  return Math.min(PACE_MAX, Math.max(PACE_MIN, pace));
}
