/**
 * The false-stop hour of the safety benchmark (bench/suites/safety.ts): a station and 20
 * working tractors as ISOBUS nodes on a 250 kbit/s virtual bus with random frame loss, on a
 * ManualClock so a simulated hour runs in about a minute. "Heartbeats only": the tractors'
 * telemetry is held back (their ports drop it), so the bus carries the station's heartbeat,
 * the tractors' own heartbeats and nothing else once the work is handed out — the only thing
 * that keeps a tractor from its station-silence stop is the station heartbeat.
 */
import { VirtualBus } from '../electron/can/index.js';
import {
  VirtualFleet,
  type FleetTransport,
  type StationPort,
  type TractorPort,
} from '../electron/link/index.js';
import { FleetKey } from '../electron/safety/index.js';
import { SimFleet } from '../electron/sim/index.js';
import { ManualClock } from '../electron/time/index.js';

export interface HourResult {
  /** Tractors that stopped by themselves (each can stop once: nothing releases it here). */
  falseStops: number;
  /** Tractors still moving at the end (a stopped or finished one would hide later stops). */
  movingAtEnd: number;
  /** Longest gap between station heartbeats any tractor heard, ms. */
  longestSilenceMs: number;
  /** Station heartbeats delivered to tractors. */
  heartbeatsHeard: number;
  /** Frames lost to the injected loss (per receiver). */
  deliveriesLost: number;
  simulatedMs: number;
  /** Share of the wire in use, averaged over the hour. */
  busLoadPct: number;
}

const BITRATE = 250_000;
/** A strip long enough that no tractor finishes it within the hour (4.5 m/s × 3600 s ≈ 16 km). */
const STRIP_M = 25_000;
const LON0 = -93.6;
const LAT0 = 42.0;
const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LON = 111_320 * Math.cos((LAT0 * Math.PI) / 180);
const CHUNK_MS = 1_000;

/** The tractors' side of `inner`, minus telemetry: only heartbeats and reliable traffic flow. */
function heartbeatsOnly(inner: FleetTransport): FleetTransport {
  return {
    stationPort: (): StationPort => inner.stationPort(),
    tractorPort: (address: string): TractorPort => {
      const port = inner.tractorPort(address);
      return {
        address,
        send: (message) => {
          if (message.kind !== 'telemetry') port.send(message);
        },
        onMessage: (handler) => port.onMessage(handler),
      };
    },
    setConnected: (address, connected) => inner.setConnected(address, connected),
    deliveredCount: () => inner.deliveredCount(),
  };
}

export async function falseStopHour(options: {
  tractors: number;
  loss: number;
  durationMs: number;
  seed: number;
}): Promise<HourResult> {
  const clock = new ManualClock();
  const bus = new VirtualBus({ clock, bitrate: BITRATE, seed: options.seed });
  const ids = Array.from(
    { length: options.tractors },
    (_, i) => `sim-${String(i + 1).padStart(2, '0')}`,
  );
  const fleet = new VirtualFleet({ clock, bus, tractorIds: ids, seed: options.seed });
  const step = async (ms: number, by: number): Promise<void> => {
    for (let t = 0; t < ms; t += by) {
      clock.advance(by);
      for (let i = 0; i < 4; i++) await Promise.resolve();
    }
  };
  await step(1_000, 1); // address claims
  await fleet.ready();
  const fleetKey = FleetKey.generate();
  const simOptions = {
    clock,
    bus: heartbeatsOnly(fleet),
    count: options.tractors,
    parking: ids.map((_, i) => [LON0 + (i * 15) / M_PER_DEG_LON, LAT0] as [number, number]),
    implementWidthM: 12,
    fleetKey,
  };
  const sim = new SimFleet(simOptions);
  const lastBeat = new Map<string, number>();
  let longestSilenceMs = 0;
  let heartbeatsHeard = 0;
  let counting = false;
  for (const id of ids) {
    fleet.tractorPort(id).onMessage((m) => {
      if (m.kind !== 'heartbeat') return;
      const now = clock.now();
      const last = lastBeat.get(id);
      if (counting && last !== undefined) {
        heartbeatsHeard++;
        longestSilenceMs = Math.max(longestSilenceMs, now - last);
      }
      lastBeat.set(id, now);
    });
  }
  const station = fleet.stationPort();
  ids.forEach((id, i) => {
    const lon = LON0 + (i * 15) / M_PER_DEG_LON;
    station.send(id, {
      kind: 'assign',
      sections: [
        {
          id: `strip-${i}`,
          start: [lon, LAT0],
          end: [lon, LAT0 + STRIP_M / M_PER_DEG_LAT],
          widthM: 12,
          done: [],
        },
      ],
    });
    station.send(id, { kind: 'start' });
  });
  await step(3_000, 5); // assignments and starts through, everyone working
  bus.configureFaults({ lossProbability: options.loss });
  counting = true;
  const bitsBefore = bus.stats().bitsTransmitted;
  const lostBefore = bus.stats().deliveriesLost;
  // Nothing asynchronous is left once the work is handed out: whole seconds at a time.
  for (let t = 0; t < options.durationMs; t += CHUNK_MS) await step(CHUNK_MS, CHUNK_MS);
  // A silence still running at the end counts too.
  for (const last of lastBeat.values())
    longestSilenceMs = Math.max(longestSilenceMs, clock.now() - last);
  const states = sim.tractors.map((t) => t.currentState);
  const stats = bus.stats();
  sim.close();
  fleet.close();
  return {
    falseStops: states.filter((s) => s === 'stopped').length,
    movingAtEnd: states.filter((s) => s === 'working' || s === 'turning').length,
    longestSilenceMs,
    heartbeatsHeard,
    deliveriesLost: stats.deliveriesLost - lostBefore,
    simulatedMs: options.durationMs,
    busLoadPct:
      ((stats.bitsTransmitted - bitsBefore) / BITRATE / (options.durationMs / 1000)) * 100,
  };
}
