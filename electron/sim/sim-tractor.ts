/**
 * A simulated tractor: follows its assigned strips back and forth (boustrophedon), turning at
 * the ends, reports telemetry and worked intervals, and obeys pause, start, stop and release.
 * A stopped tractor stays stopped until the stop it obeyed is released, and a release leaves it
 * paused: it never moves again without a fresh start command. This class keeps the machine's
 * state and answers the station; its parts each own one piece: the body and its way (`Chassis`),
 * the work it drives (`WorkRun`), a refill trip (`RefillTrip`), what holds it stopped
 * (`StopHolds`) and its watch on the station's heartbeat (`StationSilenceWatch`).
 */
import type { AutonomyMode, ImplementCapacity, LonLat, TractorState } from '../../shared/index.js';
import type { StationToTractor, TractorPort, TractorToStation } from '../link/index.js';
import type { Clock } from '../time/index.js';
import type { FleetKey } from '../safety/index.js';
import { ModeResponder } from './mode-responder.js';
import { SimTank } from './sim-tank.js';
import { Chassis, type MachineSeen } from './chassis.js';
import { PlaneFrame } from './plane-frame.js';
import { RefillTrip, type SimRefill } from './refill-trip.js';
import { StationSilenceWatch } from './station-silence.js';
import { StopHolds } from './stop-holds.js';
import { WorkRun } from './work-run.js';

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

export class SimTractor {
  readonly id: string;
  private readonly frame: PlaneFrame;
  private state: TractorState = 'idle';
  private readonly modes: ModeResponder;
  private readonly chassis: Chassis;
  private readonly run: WorkRun;
  private readonly tank: SimTank | null;
  /** A trip to the refill point under way (work state off throughout). */
  private trip: RefillTrip | null = null;
  /** What holds the machine stopped, and the releases that end it. */
  private readonly stops: StopHolds;
  private readonly silence: StationSilenceWatch;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: SimTractorOptions) {
    this.id = options.port.address;
    this.frame = new PlaneFrame(options.parkedAt);
    this.chassis = new Chassis({ ...options, id: this.id, frame: this.frame });
    const capacity = options.capacity;
    this.tank =
      capacity && capacity.kind !== 'none' && options.refill
        ? new SimTank(capacity, options.implementWidthM, options.refill.plannedShare)
        : null;
    this.run = new WorkRun({
      frame: this.frame,
      chassis: this.chassis,
      tank: this.tank,
      workSpeedMps: options.workSpeedMps,
      hooks: {
        setState: (state) => {
          this.state = state;
        },
        report: () => this.report(),
        leaveForRefill: () => this.leaveForRefill(),
      },
    });
    const send = (message: TractorToStation): void => options.port.send(message);
    this.stops = new StopHolds(send, options.fleetKey, options.port.stationSideId ?? this.id);
    this.modes = new ModeResponder(send);
    this.silence = new StationSilenceWatch(options.clock, SIM_STEP_MS, () => {
      if (this.moving) this.safeStop();
    });
    this.unsubscribe = options.port.onMessage((message) => this.handle(message));
    this.silence.watch();
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
    return this.frame.toLonLat(this.chassis.position);
  }

  get currentMode(): AutonomyMode {
    return this.modes.mode;
  }

  get currentSpeedMps(): number {
    return this.chassis.speedMps;
  }

  /** This machine as the others see it. */
  get seen(): MachineSeen {
    return {
      id: this.id,
      position: this.currentPosition,
      speedMps: this.chassis.speedMps,
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
    return this.stops.list;
  }

  /** How often this machine stopped on its own: its station-silence watchdog, or a fault. */
  get ownStops(): number {
    return this.stops.ownStops;
  }

  get name(): string {
    return this.options.name;
  }

  /** The longest time between two station heartbeats this machine heard (since the first). */
  get longestStationSilenceMs(): number {
    return this.silence.longestSilenceMs;
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
    this.stops.holdOwn('machine-fault');
    this.state = 'stopped';
    this.chassis.speedMps = 0;
    this.options.port.send({
      kind: 'alert',
      severity: 'critical',
      message: `machine fault: ${reason}`,
    });
  }

  /** Advances the tractor by `dtS` seconds of driving. */
  step(dtS: number): void {
    if (this.silence.stepped(dtS) && this.moving) this.safeStop();
    if (!this.moving) {
      this.chassis.speedMps = 0;
      return;
    }
    if (this.modes.mode === 'manual') {
      // In manual the operator on the seat drives; the simulated machine waits.
      this.chassis.speedMps = 0;
      return;
    }
    if (this.trip) {
      if (this.trip.step(dtS)) this.trip = null;
      return;
    }
    this.run.drive(dtS);
  }

  /** The telemetry message this tractor would broadcast now. */
  report(): void {
    const leg = this.run.current;
    this.options.port.send({
      kind: 'telemetry',
      position: this.frame.toLonLat(this.chassis.position),
      headingDeg: this.chassis.headingDeg,
      speedMps: this.chassis.speedMps,
      state: this.state,
      mode: this.modes.mode,
      currentSectionId: leg?.section.id ?? null,
      coverage: this.run.coverage(),
      ownStop: this.state === 'stopped' && this.stops.ownStop,
    });
    this.stops.reported(this.state === 'stopped');
  }

  park(): void {
    this.chassis.position = this.frame.toLocal(this.options.parkedAt);
  }

  dispose(): void {
    this.silence.dispose();
    this.unsubscribe();
  }

  /** On its way or at work (a stop on station silence applies only then). */
  private get moving(): boolean {
    return this.state === 'working' || this.state === 'turning';
  }

  /**
   * The station has been silent too long: stop on our own and stay stopped (docs/safety.md).
   * Telemetry reports 'stopped'; the station adopts the stop when it hears us again, and only
   * its release ends it.
   */
  private safeStop(): void {
    this.stops.holdOwn('station-silence');
    this.state = 'stopped';
    this.chassis.speedMps = 0;
    this.report(); // say at once that we stopped, in case the station can still hear us
  }

  /** The tank is due (WorkRun): off to the refill point, then back to where work stopped. */
  private leaveForRefill(): void {
    const refill = this.options.refill;
    if (!refill || !this.tank) return;
    this.trip = new RefillTrip(this.id, refill, this.tank, this.chassis, this.frame);
  }

  private handle(message: StationToTractor): void {
    switch (message.kind) {
      case 'estop':
        // A repeat of a stop we were released from is not a new stop (the station's keep-alive
        // of a fleet stop that still holds other machines): only a new stop stops us again.
        if (!this.stops.obey(message.stopId)) return;
        this.state = 'stopped';
        this.chassis.speedMps = 0;
        this.options.port.send({ kind: 'stop-confirm', stopId: message.stopId });
        return;
      case 'release':
        if (!this.stops.release(message.stopId, message.auth)) return;
        if (this.state === 'stopped' && this.stops.free) this.state = 'paused';
        return;
      case 'mode-request':
        this.modes.request(message.requestId, message.mode, this.state === 'stopped');
        return;
      case 'mode-commit':
        this.modes.commit(message.requestId, message.commit);
        if (this.modes.mode === 'manual' && this.moving) this.state = 'paused';
        return;
      case 'speed-limit':
        this.chassis.speedLimitMps = message.maxMps;
        return;
      case 'pause':
        if (this.moving) this.state = 'paused';
        return;
      case 'start':
        if (this.state === 'stopped') return; // only a release ends a stop
        if (this.state === 'idle' || this.state === 'paused' || this.state === 'done') {
          this.state = this.trip || this.run.current?.phase === 'approach' ? 'turning' : 'working';
        }
        return;
      case 'assign':
        this.run.assign(message.sections);
        // New work never sets a finished machine moving by itself: it waits for a start.
        if (this.state === 'done' && this.run.hasQueued) this.state = 'paused';
        return;
      case 'heartbeat':
        this.silence.heartbeat();
        return;
    }
  }
}
