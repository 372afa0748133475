/**
 * A fleet of simulated tractors on one fleet bus, stepped by the injected clock. Machines differ
 * a little in speed so the demo looks like a real fleet; everything is derived from the index,
 * so a run is reproducible.
 */
import type { ImplementCapacity, LonLat } from '../../shared/index.js';
import type { FleetTransport } from '../link/index.js';
import type { FleetKey } from '../safety/index.js';
import type { Clock } from '../time/index.js';
import { SIM_STEP_MS, SimTractor } from './sim-tractor.js';
import { MIN_TURN_RADIUS_M } from './steering.js';
import { RefillDock } from './refill-dock.js';
import { refillWaitingPlace } from './refill-approach.js';
import { TangentFrame } from '../fleet/index.js';

export { SIM_STEP_MS };
/** Telemetry period: 10 Hz, as tractors broadcast it on the bus (docs/fleet-protocol.md §4.2). */
export const TELEMETRY_MS = 100;

export interface SimFleetOptions {
  clock: Clock;
  bus: FleetTransport;
  count: number;
  /** Where the machines wait before the job starts: machine i parks at spot i (mod the count). */
  parking: readonly LonLat[];
  /** The spot the first machine parks at (default 0): machines of another fleet hold the ones before. */
  firstSpot?: number;
  /** The field boundary the machines keep inside when they sidestep. */
  fence?: readonly LonLat[];
  implementWidthM: number;
  /** Every machine's tank or hopper (default none). */
  capacity?: ImplementCapacity;
  /** The job's refill point, and the share of a fill the plan has machine `id` use before trip `k`. */
  refill?: { point: LonLat; plannedShare: (tractorId: string, trip: number) => number };
  /** The fleet key the machines were paired with (releases are authenticated under it). */
  fleetKey: FleetKey;
  /** Keep-out zones the machines know and drive round (the field's holes, the operator's zones). */
  keepOut?: () => readonly (readonly LonLat[])[];
  /** Ids are `<idPrefix>01`, names `<namePrefix> 1` (defaults: sim-, Tractor). */
  idPrefix?: string;
  namePrefix?: string;
}

export class SimFleet {
  readonly tractors: SimTractor[] = [];
  private readonly dock = new RefillDock();
  private lastStepMs: number;
  private sinceTelemetryMs = 0;
  private cancel: () => void = () => undefined;
  private stopped = false;

  constructor(private readonly options: SimFleetOptions) {
    const waitAt = options.refill ? waitingPlaceOf(options.refill.point, options.fence) : null;
    for (let i = 0; i < options.count; i++) {
      const parkedAt = parkingSpot(options.parking, i + (options.firstSpot ?? 0));
      const id = `${options.idPrefix ?? 'sim-'}${String(i + 1).padStart(2, '0')}`;
      const refill = options.refill;
      const tractor = new SimTractor({
        port: options.bus.tractorPort(id),
        name: `${options.namePrefix ?? 'Tractor'} ${i + 1}`,
        parkedAt,
        implementWidthM: options.implementWidthM,
        workSpeedMps: 3.6 + (i % 4) * 0.3,
        turnSpeedMps: 2.5,
        transitSpeedMps: 5,
        ...(options.capacity ? { capacity: options.capacity } : {}),
        ...(refill
          ? {
              refill: {
                point: refill.point,
                ...(waitAt ? { waitAt } : {}),
                dock: this.dock,
                plannedShare: (trip: number) => refill.plannedShare(id, trip),
              },
            }
          : {}),
        clock: options.clock,
        fleetKey: options.fleetKey,
        ...(options.keepOut ? { keepOut: options.keepOut } : {}),
        ...(options.fence ? { fence: options.fence } : {}),
        others: () => this.tractors.map((t) => t.seen),
      });
      tractor.park();
      this.tractors.push(tractor);
    }
    this.lastStepMs = options.clock.now();
    this.schedule();
  }

  /** The longest any machine has waited at the refill point for another (s). */
  get refillWaitMaxS(): number {
    return this.dock.longestWaitS;
  }

  tractor(id: string): SimTractor | undefined {
    return this.tractors.find((t) => t.id === id);
  }

  /** Cuts a tractor's radio (it keeps its state) or gives it back. */
  setRadio(tractorId: string, connected: boolean): void {
    this.options.bus.setConnected(tractorId, connected);
  }

  close(): void {
    this.stopped = true;
    this.cancel();
    for (const tractor of this.tractors) tractor.dispose();
  }

  private schedule(delayMs = SIM_STEP_MS): void {
    this.cancel = this.options.clock.setTimer(delayMs, () => {
      if (this.stopped) return;
      this.tick();
    });
  }

  /**
   * One step of every machine, then every machine's report when one is due. Where the clock
   * has real input, each machine's part runs in a turn of its own, so a frame that arrives
   * meanwhile (a stop) waits for one machine's step at most, as on machines with controllers
   * of their own, not for the whole fleet's (twenty machines' step took 8–30 ms on a loaded
   * 2-core machine).
   */
  private tick(): void {
    const { clock } = this.options;
    const startedMs = clock.now();
    const dtS = (startedMs - this.lastStepMs) / 1000;
    this.lastStepMs = startedMs;
    this.sinceTelemetryMs += dtS * 1000;
    const reporting = this.sinceTelemetryMs >= TELEMETRY_MS - 1;
    if (reporting) this.sinceTelemetryMs = 0;
    const parts = this.tractors.map((tractor) => () => tractor.step(dtS));
    if (reporting) parts.push(...this.tractors.map((tractor) => () => tractor.report()));
    const next = clock.afterPendingInput?.bind(clock);
    if (!next) {
      for (const part of parts) part();
      this.schedule();
      return;
    }
    const runFrom = (i: number): void => {
      if (this.stopped) return;
      if (i === parts.length) {
        this.schedule(Math.max(0, SIM_STEP_MS - (clock.now() - startedMs)));
        return;
      }
      parts[i]?.();
      next(() => runFrom(i + 1));
    };
    runFrom(0);
  }
}

/** Spacing between machines parked one behind another at the same spot (clear of the separation guard). */
const PARKING_ROW_M = 15;
const M_PER_DEG_LAT = 111_320;

/**
 * Room between a parking spot and the field's corner it is named by: a machine leaving it may
 * have to turn round first, and a loop of its turning circle from the corner itself would take
 * it past the geofence's margin, where the zone guard holds it for good.
 */
const PARKING_INSET_M = 2 * MIN_TURN_RADIUS_M;

/**
 * Machine i parks at spot i (mod the spots), set in from the field's corner towards the middle
 * of the spots; later rows line up behind it, so they wait inside the field, not beyond its
 * boundary.
 */
function parkingSpot(ring: readonly LonLat[], i: number): LonLat {
  // A closed ring repeats its first vertex last: one spot, not two machines on it.
  const first = ring[0];
  const last = ring[ring.length - 1];
  const parking =
    ring.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]
      ? ring.slice(0, -1)
      : ring;
  const count = Math.max(1, parking.length);
  const spot = parking[i % count] ?? [0, 0];
  const row = Math.floor(i / count);
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((spot[1] * Math.PI) / 180);
  const cx = parking.reduce((sum, p) => sum + p[0], 0) / count;
  const cy = parking.reduce((sum, p) => sum + p[1], 0) / count;
  let dx = (cx - spot[0]) * mPerDegLon;
  let dy = (cy - spot[1]) * M_PER_DEG_LAT;
  const len = Math.hypot(dx, dy);
  [dx, dy] = len > 0 ? [dx / len, dy / len] : [1, 0];
  const d = PARKING_INSET_M + row * PARKING_ROW_M;
  return [spot[0] + (dx * d) / mPerDegLon, spot[1] + (dy * d) / M_PER_DEG_LAT];
}

/** The refill point's first waiting place (refill-approach.ts), worked out in a plane at the point. */
function waitingPlaceOf(point: LonLat, fence: readonly LonLat[] | undefined): LonLat {
  const frame = new TangentFrame({ lon: point[0], lat: point[1] });
  const ring = fence ? fence.map((p) => frame.toLocal(p)) : null;
  return frame.toLonLat(refillWaitingPlace([0, 0], ring));
}
