/**
 * Who works what, and telling them: allocation at the start, the operator's moves, replans when
 * a tractor joins, is lost or comes back, and a live boundary edit; assignments and starts to
 * the tractors (a start never goes to a tractor a stop holds, is repeated when it overtook the
 * tractor's release, and a replan never starts a tractor released to 'paused').
 */
import { commandFailed, commandOk, type CommandResult, type LonLat } from '../../shared/index.js';
import { PlanningError, type RebalanceMove } from '../fleet/index.js';
import type { BoundaryRevised, LaidOutBoundary } from './boundary-revision.js';
import type { JobSession } from './job-session.js';
import type { JobHooks, StationServices } from './station-services.js';
import type { StopControl } from './stop-control.js';
import { capabilityOf, type TractorRecord } from './tractor-record.js';
import type { FieldWork, TractorPose } from './field-work.js';

/**
 * Planned overlap an edit adds below this is seams between passes (a re-laid pass meeting worked
 * ground edge to edge shares a few centimetres with it); above it the operator is asked.
 */
const OVERLAP_QUESTION_M2 = 10;

/** A boundary edit as the operator gives it. */
export interface BoundaryEdit {
  rings: LonLat[][];
  reason: string;
  /** The operator accepted the planned overlap the station put to them. */
  acceptOverlap: boolean;
}

/** A start the tractor ignored while stopped is repeated if it reports its release within this. */
const START_AFTER_RELEASE_MS = 2_000;

export class WorkDispatch {
  /** The boundary edit in progress, if any: the next waits for it. */
  private boundaryEdits: Promise<void> = Promise.resolve();
  /** What the last boundary taken adds of passes over worked ground, m². */
  private plannedOverlapM2 = 0;
  /** Machines whose plan the operator's moves changed since the last housekeeping turn. */
  private readonly moved = new Set<string>();

  constructor(
    private readonly s: StationServices,
    private readonly stops: StopControl,
    private readonly session: JobSession,
    private readonly hooks: JobHooks,
  ) {}

  /**
   * A live boundary edit: the field is replanned in the job's frame along its work direction,
   * everything worked so far carries over (it is never handed out again), and the remaining
   * work is reallocated to the tractors in contact. An invalid boundary changes nothing.
   */
  editBoundary(edit: BoundaryEdit, actor: string): CommandResult {
    const refused = this.boundaryRefused();
    if (refused) return refused;
    const { rings, reason } = edit;
    const revised = this.session.reviseBoundary(
      rings,
      `${reason} (by ${actor})`,
      this.prepareRevision(edit.acceptOverlap),
    );
    return this.boundaryEdited(revised, reason, actor);
  }

  /**
   * The same edit with its layout in the planner's thread: the station goes on serving commands
   * and tractors meanwhile, and the job changes only once the layout is back, all at once. Edits
   * are taken one after another, each laid out on the job the one before left.
   */
  editBoundaryInThread(
    edit: BoundaryEdit,
    actor: string,
    stillOpen: () => boolean,
  ): Promise<CommandResult> {
    const { rings, reason } = edit;
    const taken = this.boundaryEdits.then(async (): Promise<CommandResult> => {
      if (!stillOpen()) return commandFailed('unavailable', 'the station is shutting down');
      const refused = this.boundaryRefused();
      if (refused) return refused;
      let laidOut: LaidOutBoundary;
      try {
        laidOut = await this.session.layOutBoundary(rings);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        return commandFailed('unavailable', `the new boundary could not be laid out: ${why}`);
      }
      if (!stillOpen()) return commandFailed('unavailable', 'the station is shutting down');
      const refusedNow = this.boundaryRefused();
      if (refusedNow) return refusedNow;
      const revised = this.session.adoptBoundary(
        laidOut,
        `${reason} (by ${actor})`,
        this.prepareRevision(edit.acceptOverlap),
      );
      return this.boundaryEdited(revised, reason, actor);
    });
    this.boundaryEdits = taken.then(
      () => undefined,
      () => undefined,
    );
    return taken;
  }

  private boundaryRefused(): CommandResult | null {
    if (this.session.job.state === 'finished')
      return commandFailed('refused', 'the job is finished: open a new field instead');
    return null;
  }

  /**
   * Before a boundary is taken: re-laid passes that would run over worked ground (more than
   * the job's plan already does) are put to the operator as a question, with the area, unless
   * accepted; a job under way is allocated again on the new field, and with no machine in
   * contact that can work it the edit is refused. Either way the job stays as it was.
   */
  private prepareRevision(acceptOverlap: boolean): (next: FieldWork) => string | null {
    const basis = this.session.work;
    return (next) => {
      this.plannedOverlapM2 = Math.max(0, next.plannedOverlapM2() - basis.plannedOverlapM2());
      if (!acceptOverlap && this.plannedOverlapM2 >= OVERLAP_QUESTION_M2)
        return `The new boundary re-lays passes over ${formatM2(this.plannedOverlapM2)} of ground already worked (it will be worked twice). Edit the boundary anyway?`;
      if (basis.allocated) this.allocateWork(next);
      return null;
    };
  }

  /** A boundary taken (or not): tractors and operators told of the new plan. */
  private boundaryEdited(revised: BoundaryRevised, reason: string, actor: string): CommandResult {
    if (!revised.ok) {
      if (revised.code === 'invalid')
        return commandFailed('invalid', `the new boundary is not usable: ${revised.error}`);
      if (revised.code === 'refused')
        return commandFailed('refused', `the edited field cannot be planned: ${revised.error}`);
      if (revised.code === 'unconfirmed') return commandFailed('unconfirmed', revised.error);
      return commandFailed('conflict', revised.error);
    }
    if (this.session.work.allocated) this.planned(`replanned: boundary edited by ${actor}`);
    this.sendAllAssignments();
    const overlap =
      this.plannedOverlapM2 >= OVERLAP_QUESTION_M2
        ? `; ${formatM2(this.plannedOverlapM2)} of passes planned over worked ground`
        : '';
    this.s.notice(
      'warning',
      `Boundary edited: ${this.session.work.sections().length} sections replanned, worked ground kept${overlap}`,
    );
    this.hooks.log(`station: boundary revision ${revised.revision} by ${actor} (${reason})`);
    this.hooks.changed();
    this.hooks.persist();
    this.s.publish();
    return commandOk();
  }

  /** Starts (or resumes) the job: allocates it first if needed, then starts every tractor. */
  run(): CommandResult {
    if (this.stops.fleetStopActive()) {
      return commandFailed('refused', 'a fleet stop is active: release it first');
    }
    if (!this.session.work.allocated) {
      if (this.s.tractors.size === 0) return commandFailed('refused', 'no tractor has joined yet');
      try {
        this.allocate();
      } catch (err) {
        return commandFailed(
          'refused',
          `cannot plan the job: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    this.session.setState('running');
    for (const tractor of this.s.tractors.values()) this.sendStart(tractor);
    return commandOk();
  }

  /**
   * The operator sets one paused tractor going again after its release, while the job runs or
   * while stops still hold other machines (after a fleet stop, machines come back one at a
   * time, each once it has been checked): the job is then under way again, partly stopped.
   */
  resumeTractor(tractorId: string, actor: string): CommandResult {
    const tractor = this.s.tractors.get(tractorId);
    if (!tractor) return commandFailed('not-found', `no tractor ${tractorId}`);
    const state = this.session.job.state;
    if (state === 'planned') return commandFailed('refused', 'the job has not started yet');
    if (state === 'finished') return commandFailed('refused', 'the job is finished');
    if (this.stops.isHeld(tractorId))
      return commandFailed('refused', `${tractor.name} is held by a stop: release it first`);
    if (tractor.commLost) return commandFailed('refused', `${tractor.name} is out of contact`);
    if (!this.session.work.allocated)
      return commandFailed('refused', 'the job has no plan yet: resume the job instead');
    this.session.setState('running');
    this.sendStart(tractor);
    this.hooks.log(`station: ${tractor.name} resumed by ${actor}`);
    this.s.publish();
    return commandOk();
  }

  /** Moves sections to a tractor, all or none: an unknown id refuses the whole move. */
  assign(sectionIds: readonly string[], tractorId: string, actor: string): CommandResult {
    const work = this.session.work;
    const unknown = sectionIds.filter((id) => !work.hasSection(id));
    if (unknown.length > 0) return commandFailed('not-found', `no section ${unknown.join(', ')}`);
    const tractor = this.s.tractors.get(tractorId);
    if (!tractor) return commandFailed('not-found', `no tractor ${tractorId}`);
    if (tractor.commLost)
      return commandFailed('refused', `${tractor.name} is out of contact and cannot take work`);
    const touched = new Set<string>([tractorId]);
    const before = work.assignments();
    for (const sectionId of sectionIds) {
      const previous = work.holder(sectionId);
      if (previous) touched.add(previous);
    }
    try {
      work.reassign(sectionIds, tractorId);
    } catch (error) {
      // A machine the plan does not hold (it joined after the plan was made, or lacks the
      // implement) cannot take sections until a replan includes it.
      if (error instanceof PlanningError) return commandFailed('refused', error.message);
      throw error;
    }
    this.session.recordPlan(`moved to ${tractorId} by ${actor}`);
    // A reassignment can shift other sections too (the plan keeps every run contiguous).
    const after = work.assignments();
    for (const [sectionId, holder] of Object.entries(after)) {
      if (before[sectionId] !== holder) {
        touched.add(holder);
        const previous = before[sectionId];
        if (previous) touched.add(previous);
      }
    }
    for (const id of touched) this.moved.add(id);
    this.hooks.log(`station: sections ${sectionIds.join(',')} assigned to ${tractorId}`);
    this.hooks.changed();
    this.s.publish();
    return commandOk();
  }

  /**
   * Sends each machine the plan the operator's moves left it, once per housekeeping turn: a burst
   * of drags sends every machine its final plan, not each plan in between (fifty drags of a whole
   * fleet's sections were hundreds of transfers queued on the bus, and a machine briefly holding
   * an emptied plan reports itself done).
   */
  sendMoves(): void {
    for (const id of this.moved) {
      const tractor = this.s.tractors.get(id);
      if (!tractor) continue;
      this.sendAssignment(id);
      if (this.session.job.state === 'running') this.sendStart(tractor);
    }
    this.moved.clear();
  }

  /** A tractor introduced itself: it joins the plan of a job under way, or gets its own work back. */
  tractorJoined(tractor: TractorRecord): void {
    if (this.session.work.allocated && this.session.job.state !== 'planned') {
      this.session.work.tractorJoined(capabilityOf(tractor));
      this.session.recordPlan(`replanned: ${tractor.name} joined`);
      this.sendAllAssignments();
    } else if (this.session.work.sectionIdsOf(tractor.id).length > 0)
      this.sendAssignment(tractor.id);
  }

  /** Automatic replans happen only while the job runs and no fleet stop is active. */
  canReplan(): boolean {
    return (
      this.session.work.allocated &&
      this.session.job.state === 'running' &&
      !this.stops.fleetStopActive()
    );
  }

  /** A tractor out of contact too long: its remaining work goes to the rest of the fleet. */
  replanOut(tractor: TractorRecord): void {
    tractor.replannedOut = true;
    try {
      this.session.work.tractorLost(tractor.id);
    } catch (error) {
      // The last machine that can do the work: its sections wait for it (the plan is unchanged).
      if (!(error instanceof PlanningError)) throw error;
      this.s.raise(
        'warning',
        'station',
        `${tractor.name}'s remaining sections wait for it: no other machine can take them`,
      );
      return;
    }
    this.session.recordPlan(`replanned: ${tractor.name} out of contact`);
    this.s.raise(
      'warning',
      'station',
      `${tractor.name}'s remaining sections moved to the rest of the fleet`,
    );
    this.sendAllAssignments();
    this.hooks.changed();
  }

  /** A tractor replanned out can work again: it takes its share of the plan back. */
  replanIn(tractor: TractorRecord): void {
    tractor.replannedOut = false;
    if (!this.session.work.allocated) return;
    this.session.work.tractorJoined(capabilityOf(tractor));
    this.session.recordPlan(`replanned: ${tractor.name} back in contact`);
    this.sendAllAssignments();
  }

  /**
   * A machine has left for the refill point, or is back at work after filling up there: the
   * machines have drifted from the plan's times since it was made (faster or slower than planned,
   * held under the separation guard), and trips staggered on those times meet at the point. The
   * trips are placed again from where the machines stand and what each has used of its fill, on
   * the runs as they are, the point kept for the fills of the machines away (on their way there
   * or filling); the machines read their trips from the station (nothing is sent).
   */
  restaggerRefills(tractor: TractorRecord, why: 'left' | 'filled'): void {
    if (!this.canReplan()) return;
    const present = [...this.s.tractors.values()].filter((t) => !t.commLost && !t.replannedOut);
    this.session.work.restaggerRefills(posesOf(present));
    const what = why === 'left' ? 'left for the refill point' : 'filled up';
    this.hooks.log(`station: refill trips placed again: ${tractor.name} ${what}`);
  }

  /**
   * A live rebalance: the sections move to the receiver, every other run stays, and both
   * machines get their new lists (the receiver a start too: it may have finished its own).
   */
  rebalance(move: RebalanceMove): void {
    const present = [...this.s.tractors.values()].filter((t) => !t.commLost && !t.replannedOut);
    this.session.work.moveSections(move.sectionIds, move.toId, posesOf(present));
    this.session.recordPlan(move.reason);
    for (const id of [move.fromId, move.toId]) this.sendAssignment(id);
    const receiver = this.s.tractors.get(move.toId);
    if (receiver && receiver.reportedState !== 'paused') this.sendStart(receiver);
    this.hooks.log(`station: ${move.reason} (${Math.round(move.gainS)} s sooner)`);
    this.s.notice('info', move.reason);
    this.hooks.changed();
    this.s.publish();
  }

  /** Repeats a start the tractor ignored while its release was still on the way (see TractorRecord). */
  repeatOvertakenStart(tractor: TractorRecord): void {
    const sentAt = tractor.startWhileStoppedMs;
    if (sentAt === null || tractor.reportedState === 'stopped') return;
    tractor.startWhileStoppedMs = null;
    const soon = this.s.clock.now() - sentAt <= START_AFTER_RELEASE_MS;
    if (soon && tractor.reportedState === 'paused' && this.session.job.state === 'running')
      this.s.port.send(tractor.id, { kind: 'start' });
  }

  private allocate(reason = 'allocated at job start'): void {
    this.allocateWork(this.session.work);
    this.planned(reason);
    for (const id of this.s.tractors.keys()) this.sendAssignment(id);
  }

  /** Allocates the work to the machines in contact; a PlanningError when none can do it. */
  private allocateWork(work: FieldWork): void {
    const present = [...this.s.tractors.values()].filter((t) => !t.commLost && !t.replannedOut);
    work.allocate(present.map(capabilityOf), posesOf(present));
  }

  /** A new allocation: recorded in the document and the log. */
  private planned(reason: string): void {
    this.session.recordPlan(reason);
    const plan = this.session.work.allocation();
    if (plan)
      this.hooks.log(
        `station: allocated ${this.session.work.sections().length} sections to ${plan.tractors.length} tractors, makespan ${Math.round(plan.makespanS)} s (${plan.ratio.toFixed(3)} × lower bound)`,
      );
    this.hooks.changed();
  }

  /** Sends a start to a tractor no stop holds. */
  private sendStart(tractor: TractorRecord): void {
    if (this.stops.isHeld(tractor.id)) return;
    this.s.port.send(tractor.id, { kind: 'start' });
    const now = this.s.clock.now();
    const releaseMayBeInFlight =
      tractor.reportedState === 'stopped' ||
      (tractor.releasedAtMs !== null && now - tractor.releasedAtMs < START_AFTER_RELEASE_MS);
    tractor.startWhileStoppedMs = releaseMayBeInFlight ? now : null;
  }

  private sendAssignment(tractorId: string): void {
    this.s.port.send(tractorId, {
      kind: 'assign',
      sections: this.session.work.assignedSwaths(tractorId),
    });
  }

  /** After a fleet change the plan may move sections between any tractors: tell them all. */
  private sendAllAssignments(): void {
    this.moved.clear();
    for (const id of this.s.tractors.keys()) this.sendAssignment(id);
    if (this.session.job.state === 'running') {
      // A tractor released back to 'paused' waits for the operator; a replan does not start it.
      for (const tractor of this.s.tractors.values())
        if (tractor.reportedState !== 'paused') this.sendStart(tractor);
    }
  }
}

/** Where each tractor that has reported a position stands: its runs are timed from there. */
function posesOf(tractors: readonly TractorRecord[]): Record<string, TractorPose> {
  const out: Record<string, TractorPose> = {};
  for (const t of tractors)
    if (t.position) out[t.id] = { position: t.position, headingDeg: t.headingDeg };
  return out;
}

function formatM2(m2: number): string {
  return m2 >= 10_000 ? `${(m2 / 10_000).toFixed(2)} ha` : `${Math.round(m2)} m²`;
}
