/**
 * A simulated tractor: follows its assigned strips back and forth (boustrophedon), turning at
 * the ends, reports telemetry and worked intervals, and obeys pause, start, stop and release.
 * A stopped tractor stays stopped until the stop it obeyed is released, and a release leaves it
 * paused: it never moves again without a fresh start command.
 */
import type { AutonomyMode, ImplementCapacity, LonLat, TractorState } from '../../shared/index.js';
import { TangentFrame } from '../fleet/index.js';
import { headingDeg } from '../geometry/index.js';
import {
  STATION_SILENCE_STOP_MS,
  type AssignedSection,
  type StationToTractor,
  type TractorPort,
} from '../link/index.js';
import { StallGuard, type Clock } from '../time/index.js';
import { ReleaseVerifier, type FleetKey } from '../safety/index.js';
import { ModeResponder } from './mode-responder.js';
import { RecentSet } from './recent-set.js';
import {
  WayFinder,
  heldAtWork,
  heldBeside,
  type HeldBeside,
  type SeenNearby,
} from './way-finder.js';
import type { RefillDock } from './refill-dock.js';
import { SimTank } from './sim-tank.js';

/** Simulation step: the fleet steps its machines this often (sim-fleet.ts). */
export const SIM_STEP_MS = 100;

export interface SimTractorOptions {
  port: TractorPort;
  name: string;
  parkedAt: LonLat;
  implementWidthM: number;
  workSpeedMps: number;
  turnSpeedMps: number;
  /** Speed on the way to a section further than TURN_DISTANCE_M away (headland or track). */
  transitSpeedMps: number;
  /** Tank or hopper it announces (default none). */
  capacity?: ImplementCapacity;
  /** The job's refill point: with a capacity, the machine drives there when its tank is due. */
  refill?: SimRefill;
  /** Times the station-silence stop to the millisecond; without it the check runs per step. */
  clock?: Clock;
  /** The fleet key from pairing: only releases authenticated under it end a stop. */
  fleetKey: FleetKey;
  /** Keep-out zones the machine knows (WGS84 rings): it drives round them on the way to work. */
  keepOut?: () => readonly (readonly LonLat[])[];
  /** The field boundary: a sidestep goes to whichever side stays inside it. */
  fence?: readonly LonLat[];
  /**
   * The other machines as this one sees them (its own perception, or their broadcast telemetry):
   * held on its way, it tells one driving past from one it stands face to face with.
   */
  others?: () => readonly MachineSeen[];
}

/** Another machine as a simulated machine sees it. */
export interface MachineSeen {
  id: string;
  position: LonLat;
  speedMps: number;
  state: TractorState;
}

export interface SimRefill {
  point: LonLat;
  /**
   * The point's first waiting place (refill-approach.ts): near the point while it is taken, a
   * machine waits beside it, clear of the machine filling there. Without it a machine drives to
   * the point and waits there.
   */
  waitAt?: LonLat;
  dock: RefillDock;
  /** Share of a fill the station's plan uses before trip `k` (1: when empty). */
  plannedShare: (trip: number) => number;
}

/** Timer rounding the silence watch tolerates (ms). */
const SILENCE_EPSILON_MS = 0.001;
/** The hold a safe stop on station silence puts on the machine (until the station adopts it). */
const SILENCE_HOLD = 'station-silence';
/**
 * Stops released from that a machine remembers: a station repeats a stop at most for as long as it
 * holds another machine, and a few hundred stops cover any session.
 */
const RELEASED_STOPS_KEPT = 256;
/** Telemetry goes at 10 Hz: a stopped machine names the stops holding it every 10th report (1 s). */
const REPORTS_PER_CONFIRM = 10;
/** The hold a machine fault puts on the machine (until the station adopts the stop). */
const FAULT_HOLD = 'machine-fault';

/** Approaches shorter than this are turns at the swath end, driven at turning speed. */
const TURN_DISTANCE_M = 40;
/**
 * The separation guard's reach round the refill point: held this close to it, a machine is waiting
 * for it; this close and finding it taken, a machine makes for a waiting place (further out it
 * keeps on for the point, which is mostly free again by the time it is there).
 */
const REFILL_QUEUE_M = 30;

interface Leg {
  section: AssignedSection;
  /** Where work on this swath ends, metres from its start (the end of its last undone gap). */
  goalM: number;
  /** Position along the strip where work on this leg began, metres from the strip start. */
  workFromM: number;
  /** Position reached along the strip, metres from its start. */
  alongM: number;
  phase: 'approach' | 'work';
}

export class SimTractor {
  readonly id: string;
  private readonly frame: PlaneFrame;
  private state: TractorState = 'idle';
  private readonly modes: ModeResponder;
  private readonly releases: ReleaseVerifier;
  /** A zone or separation hold from the station: no faster than this. */
  private speedLimitMps: number | null = null;
  private position: PlanePoint = { x: 0, y: 0 };
  private headingDeg = 0;
  private speedMps = 0;
  private queue: AssignedSection[] = [];
  private leg: Leg | null = null;
  /** Undone gaps of the current swath still to work after this leg (done ground is crossed, not worked). */
  private gapsLeft: { section: AssignedSection; gaps: [number, number][] } | null = null;
  private readonly way: WayFinder;
  private readonly tank: SimTank | null;
  /**
   * On the way to the refill point (or its waiting place while the point is taken), standing at
   * the waiting place, waiting at the point, or filling (work state off throughout).
   */
  private trip: { phase: 'out' | 'beside' | 'wait' | 'fill'; fillLeftS: number } | null = null;
  private readonly heldBy = new Set<string>();
  /** Stops we were released from (their repeats are ignored). */
  private readonly releasedFrom = new RecentSet<string>(RELEASED_STOPS_KEPT);
  /** Time since the station's last heartbeat. */
  private silentMs = 0;
  /** When the station's last heartbeat arrived (on options.clock). */
  private heardStationAtMs = 0;
  private heardStation = false;
  private longestSilenceMs = 0;
  /**
   * A simulated tractor shares the station's process: a stall of the process (a step or timer
   * far too late) is not radio silence, so the silence stop waits for the next look.
   */
  private readonly stall = new StallGuard();
  private cancelSilenceWatch: (() => void) | undefined;
  private resumeState: 'working' | 'idle' = 'idle';
  private ownStopCount = 0;
  private reportsSinceConfirm = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: SimTractorOptions) {
    this.id = options.port.address;
    this.frame = new PlaneFrame(options.parkedAt);
    this.way = new WayFinder({
      id: this.id,
      fence: options.fence?.map((p) => this.frame.toLocal(p)) ?? null,
      keepOut: () =>
        (options.keepOut?.() ?? []).map((ring) => ring.map((p) => this.frame.toLocal(p))),
    });
    const capacity = options.capacity;
    this.tank =
      capacity && capacity.kind !== 'none' && options.refill
        ? new SimTank(capacity, options.implementWidthM, options.refill.plannedShare)
        : null;
    this.releases = new ReleaseVerifier(options.fleetKey, options.port.stationSideId ?? this.id);
    this.modes = new ModeResponder((message) => options.port.send(message));
    this.unsubscribe = options.port.onMessage((message) => this.handle(message));
    this.heardStationAtMs = options.clock?.now() ?? 0;
    this.watchSilence();
    options.port.send({
      kind: 'hello',
      name: options.name,
      implementWidthM: options.implementWidthM,
      workSpeedMps: options.workSpeedMps,
      ...(options.capacity ? { capacity: options.capacity } : {}),
    });
  }

  get currentState(): TractorState {
    return this.state;
  }

  get currentPosition(): LonLat {
    return this.frame.toLonLat(this.position);
  }

  get currentMode(): AutonomyMode {
    return this.modes.mode;
  }

  get currentSpeedMps(): number {
    return this.speedMps;
  }

  /** This machine as the others see it. */
  get seen(): MachineSeen {
    return {
      id: this.id,
      position: this.currentPosition,
      speedMps: this.speedMps,
      state: this.state,
    };
  }

  /** Share of its fill left (null without a tank), and whether it is away refilling. */
  get tankLevel(): number | null {
    return this.tank?.level ?? null;
  }

  get refilling(): boolean {
    return this.trip !== null;
  }

  /** What holds the machine now: the stops it obeys, and its own watchdog or fault. */
  get holds(): readonly string[] {
    return [...this.heldBy];
  }

  /** How often this machine stopped on its own: its station-silence watchdog, or a fault. */
  get ownStops(): number {
    return this.ownStopCount;
  }

  get name(): string {
    return this.options.name;
  }

  /** The longest time between two station heartbeats this machine heard (since the first). */
  get longestStationSilenceMs(): number {
    return this.longestSilenceMs;
  }

  /** Refuse mode changes from now on (a fault a scenario can inject), or accept them again. */
  refuseModeChanges(reason: string | null): void {
    this.modes.refuseAll = reason;
  }

  /**
   * A machine fault (scenario `fail`): the machine stops by itself, holds until the station
   * releases it, and raises a critical alert that the station replicates to every node.
   */
  fail(reason: string): void {
    this.ownStopCount++;
    this.heldBy.add(FAULT_HOLD);
    if (this.state !== 'stopped')
      this.resumeState = this.queue.length > 0 || this.leg ? 'working' : 'idle';
    this.state = 'stopped';
    this.speedMps = 0;
    this.options.port.send({
      kind: 'alert',
      severity: 'critical',
      message: `machine fault: ${reason}`,
    });
  }

  /** Advances the tractor by `dtS` seconds of driving. */
  step(dtS: number): void {
    this.silentMs += dtS * 1000;
    // On a clock the silence is exact; counted in whole steps it would run up to a step ahead.
    const now = this.options.clock?.now();
    if (now !== undefined) this.stall.ran(now - dtS * 1000 + SIM_STEP_MS, now);
    const silentMs = now !== undefined ? now - this.heardStationAtMs : this.silentMs;
    if (
      silentMs > STATION_SILENCE_STOP_MS &&
      (now === undefined || this.stall.judging(now)) &&
      (this.state === 'working' || this.state === 'turning')
    )
      this.safeStop();
    if (this.state !== 'working' && this.state !== 'turning') {
      this.speedMps = 0;
      return;
    }
    if (this.modes.mode === 'manual') {
      // In manual the operator on the seat drives; the simulated machine waits.
      this.speedMps = 0;
      return;
    }
    if (this.trip) {
      this.refillStep(dtS);
      return;
    }
    let budgetM = 0;
    for (let guard = 0; guard < 8; guard++) {
      const leg = this.leg ?? this.nextLeg();
      if (!leg) {
        this.state = 'done';
        this.speedMps = 0;
        return;
      }
      const planned =
        leg.phase === 'approach' ? this.approachSpeed(leg) : this.options.workSpeedMps;
      const speed = this.speedLimitMps === null ? planned : Math.min(planned, this.speedLimitMps);
      if (guard === 0) {
        budgetM = speed * dtS;
        this.speedMps = speed;
      }
      if (budgetM <= 0) {
        // Held by the zone guard: re-aim at the way round (a machine replans its path while it
        // waits); held long on its way, it sidesteps (two machines face to face both wait).
        if (leg.phase === 'approach')
          this.headingDeg = this.way.held(
            { ...this.position, headingDeg: this.headingDeg },
            this.pointAlong(leg.section, leg.alongM),
            dtS,
            this.heldBeside(),
          );
        else if (this.way.heldWorking(dtS, heldAtWork(this.selfSeen(), this.othersSeen())))
          this.leaveStretch(leg);
        return;
      }
      this.way.moved();
      budgetM = leg.phase === 'approach' ? this.approach(leg, budgetM) : this.work(leg, budgetM);
    }
  }

  /** The telemetry message this tractor would broadcast now. */
  report(): void {
    const leg = this.leg;
    const coverage =
      leg && leg.phase === 'work' && leg.alongM !== leg.workFromM
        ? {
            sectionId: leg.section.id,
            fromM: Math.min(leg.workFromM, leg.alongM),
            toM: Math.max(leg.workFromM, leg.alongM),
          }
        : null;
    this.options.port.send({
      kind: 'telemetry',
      position: this.frame.toLonLat(this.position),
      headingDeg: this.headingDeg,
      speedMps: this.speedMps,
      state: this.state,
      mode: this.modes.mode,
      currentSectionId: leg?.section.id ?? null,
      coverage,
      ownStop:
        this.state === 'stopped' && (this.heldBy.has(SILENCE_HOLD) || this.heldBy.has(FAULT_HOLD)),
    });
    this.repeatConfirmations();
  }

  /**
   * While stopped, name every station stop that holds us once a second: a station that lost
   * track of one (it restarted, or its release never reached us) learns why we stand.
   */
  private repeatConfirmations(): void {
    if (this.state !== 'stopped') return;
    if (++this.reportsSinceConfirm < REPORTS_PER_CONFIRM) return;
    this.reportsSinceConfirm = 0;
    for (const stopId of this.heldBy)
      if (stopId !== SILENCE_HOLD && stopId !== FAULT_HOLD)
        this.options.port.send({ kind: 'stop-confirm', stopId });
  }

  park(): void {
    this.position = this.frame.toLocal(this.options.parkedAt);
  }

  dispose(): void {
    this.cancelSilenceWatch?.();
    this.unsubscribe();
  }

  /**
   * One timer at the moment the station's silence reaches STATION_SILENCE_STOP_MS (moved on,
   * not re-armed, when heartbeats keep coming), so the stop does not wait for the next step.
   * A machine standing still when it fires is held by the per-step check if it is set moving.
   */
  private watchSilence(): void {
    const clock = this.options.clock;
    if (!clock || this.cancelSilenceWatch) return;
    const firesAtMs = this.stall.judgingFrom(this.heardStationAtMs + STATION_SILENCE_STOP_MS);
    this.cancelSilenceWatch = clock.setTimer(firesAtMs - clock.now(), () => {
      this.cancelSilenceWatch = undefined;
      const now = clock.now();
      this.stall.ran(firesAtMs, now);
      // A heartbeat since the timer was set moved the deadline on (times are fractional on the
      // bus, so "on time" is within a microsecond: never re-arm for a rounding error).
      const leftMs = this.heardStationAtMs + STATION_SILENCE_STOP_MS - now;
      if (leftMs > SILENCE_EPSILON_MS || !this.stall.judging(now)) this.watchSilence();
      else if (this.state === 'working' || this.state === 'turning') this.safeStop();
    });
  }

  /**
   * The station has been silent too long: stop on our own and stay stopped (docs/safety.md). Telemetry reports 'stopped'; the station adopts the stop when it hears us again, and
   * only its release ends it.
   */
  private safeStop(): void {
    this.ownStopCount++;
    this.heldBy.add(SILENCE_HOLD);
    this.state = 'stopped';
    this.speedMps = 0;
    this.report(); // say at once that we stopped, in case the station can still hear us
  }

  private handle(message: StationToTractor): void {
    switch (message.kind) {
      case 'estop':
        // A repeat of a stop we were released from is not a new stop (the station's keep-alive
        // of a fleet stop that still holds other machines): only a new stop stops us again.
        if (this.releasedFrom.has(message.stopId)) return;
        // The station has taken over: its stop now holds the machine, released only by it.
        this.heldBy.delete(SILENCE_HOLD);
        this.heldBy.delete(FAULT_HOLD);
        this.heldBy.add(message.stopId);
        if (this.state !== 'stopped')
          this.resumeState = this.queue.length > 0 || this.leg ? 'working' : 'idle';
        this.state = 'stopped';
        this.speedMps = 0;
        this.options.port.send({ kind: 'stop-confirm', stopId: message.stopId });
        return;
      case 'release': {
        const verdict = this.releases.verify(message.stopId, message.auth);
        // A genuine release of a stop we were already released from ends nothing: it is the same
        // release delivered again (a restarted station's link cannot tell what we received before
        // it restarted), so it is neither obeyed nor refused.
        if (!verdict.ok && verdict.reason === 'replayed' && this.releasedFrom.has(message.stopId))
          return;
        if (!verdict.ok) {
          this.options.port.send({
            kind: 'release-refused',
            stopId: message.stopId,
            reason: verdict.reason,
          });
          return;
        }
        this.heldBy.delete(message.stopId);
        this.releasedFrom.remember(message.stopId);
        if (this.state === 'stopped' && this.heldBy.size === 0) this.state = 'paused';
        return;
      }
      case 'mode-request':
        this.modes.request(message.requestId, message.mode, this.state === 'stopped');
        return;
      case 'mode-commit':
        this.modes.commit(message.requestId, message.commit);
        if (this.modes.mode === 'manual' && (this.state === 'working' || this.state === 'turning'))
          this.state = 'paused';
        return;
      case 'speed-limit':
        this.speedLimitMps = message.maxMps;
        return;
      case 'pause':
        if (this.state === 'working' || this.state === 'turning') this.state = 'paused';
        return;
      case 'start':
        if (this.state === 'stopped') return; // only a release ends a stop
        if (this.state === 'idle' || this.state === 'paused' || this.state === 'done') {
          this.state = this.trip || this.leg?.phase === 'approach' ? 'turning' : 'working';
        }
        return;
      case 'assign':
        this.assign(message.sections);
        return;
      case 'heartbeat': {
        const now = this.options.clock?.now() ?? 0;
        if (this.heardStation)
          this.longestSilenceMs = Math.max(this.longestSilenceMs, now - this.heardStationAtMs);
        this.heardStation = true;
        this.silentMs = 0;
        this.heardStationAtMs = now;
        this.watchSilence();
        return;
      }
    }
  }

  private assign(sections: AssignedSection[]): void {
    const current = this.leg?.section.id;
    this.queue = sections.filter((s) => s.id !== current);
    if (current && !sections.some((s) => s.id === current)) {
      this.leg = null;
      this.gapsLeft = null;
    }
    // New work never sets a finished machine moving by itself: it waits for a start.
    if (this.state === 'done' && this.queue.length > 0) this.state = 'paused';
  }

  /**
   * The next stretch to work: the next undone gap of the current swath, else the first gap of
   * the next swath. The plan orients every swath in driving order; done ground between gaps is
   * crossed with the implement up (an approach), never worked twice.
   */
  private nextLeg(): Leg | null {
    while (this.gapsLeft || this.queue.length > 0) {
      const gap = this.gapsLeft?.gaps.shift();
      const section = this.gapsLeft?.section;
      if (gap && section) {
        this.leg = { section, goalM: gap[1], workFromM: gap[0], alongM: gap[0], phase: 'approach' };
        this.state = 'turning';
        return this.leg;
      }
      this.gapsLeft = null;
      const next = this.queue.shift();
      if (next) this.gapsLeft = { section: next, gaps: undoneGaps(next.done, this.lengthOf(next)) };
    }
    this.leg = null;
    return null;
  }

  private approachSpeed(leg: Leg): number {
    return this.speedToward(this.pointAlong(leg.section, leg.alongM));
  }

  /** Transit speed on the way to `target`, turn speed in its last metres. */
  private speedToward(target: PlanePoint): number {
    const distance = Math.hypot(target.x - this.position.x, target.y - this.position.y);
    return distance > TURN_DISTANCE_M ? this.options.transitSpeedMps : this.options.turnSpeedMps;
  }

  /**
   * Drives up to `budgetM` towards `target` (round keep-out zones), turning as a tractor can;
   * the metres left over once there, or null while still on the way.
   */
  private driveToward(target: PlanePoint, budgetM: number): number | null {
    const step = this.way.drive({ ...this.position, headingDeg: this.headingDeg }, target, budgetM);
    this.position = { x: step.pose.x, y: step.pose.y };
    this.headingDeg = step.pose.headingDeg;
    return step.leftoverM;
  }

  /** Drives towards the start of the leg's stretch. */
  private approach(leg: Leg, budgetM: number): number {
    const leftoverM = this.driveToward(this.pointAlong(leg.section, leg.alongM), budgetM);
    if (leftoverM === null) return 0;
    leg.phase = 'work';
    this.state = 'working';
    return leftoverM;
  }

  private work(leg: Leg, budgetM: number): number {
    const remaining = Math.max(0, leg.goalM - leg.alongM);
    const moved = Math.min(remaining, budgetM, this.tank?.workLeftM() ?? Infinity);
    leg.alongM += moved;
    this.tank?.worked(moved);
    this.position = this.pointAlong(leg.section, leg.alongM);
    this.headingDeg = this.bearingOf(leg.section);
    if (this.tank?.due && (moved < remaining || this.hasWorkAfter())) {
      this.report(); // the interval worked on this fill must reach the station
      // Back from the point, the machine drives to where it stopped and works on from there.
      this.leg = moved < remaining ? { ...leg, workFromM: leg.alongM, phase: 'approach' } : null;
      this.trip = { phase: 'out', fillLeftS: 0 };
      this.state = 'turning';
      return 0;
    }
    if (moved < remaining) return 0;
    this.report(); // the final interval of the strip must reach the station
    this.leg = null;
    return budgetM - moved;
  }

  /**
   * Face to face at work with another that keeps its line (way-finder.ts, heldAtWork): the
   * machine lifts its implement where it stands, so what it worked reaches the station, and
   * drives back to that point as to any stretch — making way first — then works on from there.
   */
  private leaveStretch(leg: Leg): void {
    this.report();
    this.leg = { ...leg, workFromM: leg.alongM, phase: 'approach' };
    this.state = 'turning';
  }

  /** What holds this machine on its way, as it sees the others (way-finder.ts). */
  private heldBeside(): HeldBeside {
    return heldBeside(this.selfSeen(), this.othersSeen());
  }

  private selfSeen(): { id: string; x: number; y: number } {
    return { id: this.id, ...this.position };
  }

  /** The other machines in this machine's plane. */
  private othersSeen(): SeenNearby[] {
    return (this.options.others?.() ?? []).map((o) => {
      const p = this.frame.toLocal(o.position);
      return { id: o.id, x: p.x, y: p.y, speedMps: o.speedMps, state: o.state };
    });
  }

  private hasWorkAfter(): boolean {
    return this.queue.length > 0 || (this.gapsLeft?.gaps.length ?? 0) > 0;
  }

  /** One step of a refill trip: drive to the point, wait for it, fill; then back to work. */
  private refillStep(dtS: number): void {
    const trip = this.trip;
    const refill = this.options.refill;
    if (!trip || !refill || !this.tank) return;
    this.speedMps = 0;
    if (trip.phase === 'beside') {
      if (!refill.dock.waitBeside(this.id, dtS)) return;
      refill.dock.leavePlace(this.id);
      trip.phase = 'out';
      return;
    }
    if (trip.phase === 'out') {
      const point = this.frame.toLocal(refill.point);
      const beside = this.waitingPlace(refill, point);
      const target = beside ?? point;
      const planned = this.speedToward(target);
      const speed = this.speedLimitMps === null ? planned : Math.min(planned, this.speedLimitMps);
      if (speed <= 0) {
        // Held by the zone guard next to the point (another machine is filling there): queueing.
        const far = Math.hypot(point.x - this.position.x, point.y - this.position.y);
        if (far <= REFILL_QUEUE_M) refill.dock.heldNear(this.id, dtS);
        this.headingDeg = this.way.held(
          { ...this.position, headingDeg: this.headingDeg },
          target,
          dtS,
          this.heldBeside(),
        );
        return;
      }
      this.way.moved();
      const arrived = this.driveToward(target, speed * dtS) !== null;
      this.speedMps = speed;
      if (arrived) trip.phase = beside ? 'beside' : 'wait';
      return;
    }
    if (trip.phase === 'wait') {
      if (!refill.dock.request(this.id, dtS)) return;
      trip.phase = 'fill';
      trip.fillLeftS = this.tank.refillS;
      return;
    }
    trip.fillLeftS -= dtS;
    if (trip.fillLeftS > 0) return;
    this.tank.filled();
    refill.dock.release(this.id);
    this.trip = null;
  }

  /**
   * Where a machine on its way to the point makes for: within the guard's reach of the point
   * while it is taken, its waiting place (the k-th along the edge from the point, as far from the
   * one before as the first is from the point: refill-approach.ts), kept however far that is, and
   * back to the point when it comes free; null for the point itself.
   */
  private waitingPlace(refill: SimRefill, point: PlanePoint): PlanePoint | null {
    const far = Math.hypot(point.x - this.position.x, point.y - this.position.y);
    const making = refill.dock.hasPlace(this.id);
    if (!refill.waitAt || (far > REFILL_QUEUE_M && !making) || !refill.dock.takenFor(this.id)) {
      refill.dock.leavePlace(this.id);
      return null;
    }
    const first = this.frame.toLocal(refill.waitAt);
    const k = refill.dock.placeFor(this.id) + 1;
    return { x: point.x + (first.x - point.x) * k, y: point.y + (first.y - point.y) * k };
  }

  private lengthOf(section: AssignedSection): number {
    const a = this.frame.toLocal(section.start);
    const b = this.frame.toLocal(section.end);
    return Math.hypot(b.x - a.x, b.y - a.y);
  }

  private bearingOf(section: AssignedSection): number {
    const a = this.frame.toLocal(section.start);
    const b = this.frame.toLocal(section.end);
    return headingDeg(a, b);
  }

  private pointAlong(section: AssignedSection, alongM: number): PlanePoint {
    const a = this.frame.toLocal(section.start);
    const b = this.frame.toLocal(section.end);
    const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const t = alongM / length;
    return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
  }
}

/** Gaps longer than MIN_GAP_M are worth driving; shorter ones are within steering accuracy. */
const MIN_GAP_M = 0.5;

/** The parts of [0, lengthM] not covered by `done`, in order. */
export function undoneGaps(done: readonly [number, number][], lengthM: number): [number, number][] {
  const gaps: [number, number][] = [];
  let reach = 0;
  for (const [a, b] of [...done].sort((p, q) => p[0] - q[0])) {
    if (a - reach > MIN_GAP_M) gaps.push([reach, Math.min(a, lengthM)]);
    reach = Math.max(reach, b);
  }
  if (lengthM - reach > MIN_GAP_M) gaps.push([reach, lengthM]);
  return gaps;
}

interface PlanePoint {
  x: number;
  y: number;
}

/** The tractor's own metric plane (a tangent plane at its parking spot), with {x, y} points. */
class PlaneFrame {
  private readonly tangent: TangentFrame;

  constructor(origin: LonLat) {
    this.tangent = new TangentFrame({ lon: origin[0], lat: origin[1] });
  }

  toLocal(position: LonLat): PlanePoint {
    const [x, y] = this.tangent.toLocal(position);
    return { x, y };
  }

  toLonLat(point: PlanePoint): LonLat {
    return this.tangent.toLonLat([point.x, point.y]);
  }
}
