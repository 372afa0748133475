/**
 * Everything that runs in the safety core's own process: the CAN bus (250 kbit/s, with its
 * socketcand face and capture when asked for), the station's ISOBUS node and fleet link
 * (heartbeats go out from there on their own), the SafetyCore with its main-thread watchdog,
 * and the simulated tractors of `serve --sim N`, which share the bus and so must not share the
 * station's loop either. It hears the main thread's orders (validated) and tells it what the
 * fleet said; nothing here waits for the main thread.
 */
import { join } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { parseWith } from '../../shared/index.js';
import {
  DEFAULT_BITRATE,
  SocketcandServer,
  VirtualBus,
  openCaptureFile,
  type CaptureSink,
} from '../can/index.js';
import {
  FileOutboxStore,
  MAIN_THREAD_SILENCE_MS,
  createVirtualFleet,
  fleetLinkMetrics,
  type VirtualFleet,
} from '../link/index.js';
import { canAddressFeed } from '../isobus/index.js';
import { FleetKey } from '../safety/index.js';
import { SafetyCore } from '../safety-core/index.js';
import type { SimFleet } from '../sim/index.js';
import { machineMonotonicMs, type Clock } from '../time/index.js';
import { canBusMetrics, socketcandMetrics } from './bus-metrics.js';
import { HeartbeatEar } from './heartbeat-ear.js';
import { OrderQueue } from './order-queue.js';
import {
  fastStopSchema,
  toCoreSchema,
  typeOfRaw,
  type CoreProbe,
  type CoreSetup,
  type FromCore,
  type ToCoreParsed,
} from './core-messages.js';

/** How often the main thread hears the link's figures (per-tractor silence among them). */
export const CORE_STATUS_MS = 100;
/** How finely the core's own late turns are timed (a probe's look at what delayed it). */
const TURN_RESOLUTION_MS = 2;
/** Confirmations (and fast stops) kept for a probe (a benchmark's many trials; older ones are dropped). */
const CONFIRMATIONS_KEPT = 10_000;

export class CoreHost {
  private readonly bus: VirtualBus;
  private readonly fleet: VirtualFleet;
  private readonly core: SafetyCore;
  private readonly sim: SimFleet | null;
  private readonly ear: HeartbeatEar | null;
  private readonly outbox: FileOutboxStore | null;
  private canServer: SocketcandServer | null = null;
  private canServerPort: number | null = null;
  private capture: CaptureSink | null = null;
  private readonly undo: (() => void)[] = [];
  private keepOut: readonly (readonly [number, number][])[] = [];
  private readonly confirmations: CoreProbe['confirmations'] = [];
  private readonly fastStopsHeard: CoreProbe['fastStopsHeard'] = [];
  private cancelStatus: () => void = () => undefined;
  private closed = false;
  private readonly turns: IntervalHistogram = monitorEventLoopDelay({
    resolution: TURN_RESOLUTION_MS,
  });
  private readonly orders = new OrderQueue(
    (raw) => this.applyRaw(raw),
    () => this.clock.now(),
    (fn) => setImmediate(fn),
  );

  private constructor(
    private readonly setup: CoreSetup,
    private readonly clock: Clock,
    private readonly post: (message: FromCore) => void,
    simulated: typeof SimFleet | null,
  ) {
    const log = (line: string): void => post({ type: 'log', line });
    this.turns.enable();
    this.bus = new VirtualBus({ clock, name: 'can0', bitrate: DEFAULT_BITRATE, seed: 1 });
    this.outbox = setup.outboxDir
      ? new FileOutboxStore(join(setup.outboxDir, 'link'), { wallNow: () => clock.wallNow() })
      : null;
    this.fleet = createVirtualFleet({
      clock,
      bus: this.bus,
      ...(this.outbox ? { stationStore: this.outbox } : {}),
      onError: (error) => log(`link: ${error instanceof Error ? error.message : String(error)}`),
    });
    const fleetKey = FleetKey.fromHex(setup.fleetKeyHex);
    this.core = new SafetyCore({
      clock,
      port: this.fleet.stationPort(),
      fleetKey,
      mainThreadSilenceMs: MAIN_THREAD_SILENCE_MS,
    });
    this.core.listen({
      message: (from, message) => post({ type: 'message', from, message }),
      confirmed: (stopId, tractorId, latencyMs) => {
        keepLast(this.confirmations, { stopId, tractorId, latencyMs });
        post({ type: 'confirmed', stopId, tractorId, latencyMs });
      },
      fastStop: (order) => post({ type: 'fastStop', order }),
      mainThreadSilent: (silentMs, stopId) => post({ type: 'mainThreadSilent', silentMs, stopId }),
    });
    this.undo.push(
      canAddressFeed(this.fleet.stationNode).onChange((change) =>
        post({ type: 'canAddress', ...change }),
      ),
    );
    this.sim = simulated
      ? new simulated({
          clock,
          bus: this.fleet,
          count: setup.simCount,
          parking: setup.parking,
          ...(setup.fence ? { fence: setup.fence } : {}),
          implementWidthM: setup.implementWidthM,
          fleetKey,
          keepOut: () => this.keepOut,
        })
      : null;
    this.ear = this.sim
      ? new HeartbeatEar(
          clock,
          this.sim.tractors.map((t) => ({ id: t.id, port: this.fleet.tractorPort(t.id) })),
        )
      : null;
  }

  /** Builds the core's side and opens what listens (the socketcand server); throws if it cannot. */
  static async start(
    setup: CoreSetup,
    clock: Clock,
    post: (message: FromCore) => void,
  ): Promise<CoreHost> {
    // The simulator (and the planning it brings) loads only for `serve --sim N`: what the core
    // holds is heap its every collection marks.
    const simulated = setup.simCount > 0 ? (await import('../sim/index.js')).SimFleet : null;
    const host = new CoreHost(setup, clock, post, simulated);
    try {
      await host.open();
    } catch (error) {
      await host.close();
      throw error;
    }
    return host;
  }

  private async open(): Promise<void> {
    const { setup } = this;
    if (setup.capturePath) {
      const sink = openCaptureFile(setup.capturePath, {
        onError: (line) => this.post({ type: 'log', line }),
      });
      this.capture = sink;
      this.undo.push(this.bus.onCapture((frame) => sink.frame(frame)));
    }
    if (setup.canServer) {
      this.canServer = new SocketcandServer({
        medium: this.bus,
        bus: 'can0',
        clock: this.clock,
        log: (line) => this.post({ type: 'log', line }),
      });
      this.canServerPort = await this.canServer.listen(setup.canServer.port, setup.canServer.host);
    }
    this.sendStatus();
  }

  get outboxProblem(): { message: string; hold: boolean } | null {
    return this.outbox?.problem ?? null;
  }

  /**
   * An order from the main thread as it arrives. Any word shows the main thread is alive; a stop
   * is carried out at once (overtaking orders still queued is safe: a stop earlier is no less a
   * stop, a start it overtakes finds the machine stopped, a release it overtakes is of another
   * stop); the rest wait their turn in order (OrderQueue).
   */
  handle(raw: unknown): void {
    this.core.mainThreadAnswered();
    const type = typeOfRaw(raw);
    if (type === 'alive') return;
    if (type === 'issue') this.applyRaw(raw);
    else this.orders.push(raw);
  }

  /** Orders waiting their turn (a test's look). */
  get queuedOrders(): number {
    return this.orders.length;
  }

  private applyRaw(raw: unknown): void {
    const parsed = parseWith(toCoreSchema, raw);
    if (!parsed.ok) {
      this.post({ type: 'log', line: `safety core: refused a message: ${parsed.error}` });
      return;
    }
    this.apply(parsed.value);
  }

  /** The fast path: a fleet stop, at once. */
  handleFast(raw: unknown): void {
    const parsed = parseWith(fastStopSchema, raw);
    if (!parsed.ok) {
      this.post({ type: 'log', line: `safety core: refused a fast stop: ${parsed.error}` });
      return;
    }
    const heardAtMs = machineMonotonicMs();
    this.core.fastStop(parsed.value.actor, parsed.value.id);
    this.core.mainThreadAnswered();
    keepLast(this.fastStopsHeard, { stopId: parsed.value.id, heardAtMs });
  }

  /** Stops the whole fleet on the core's own account (the station is gone). */
  holdFleet(actor: string): void {
    this.core.fastStop(actor);
  }

  private apply(message: ToCoreParsed): void {
    const { core } = this;
    switch (message.type) {
      case 'send':
        return core.send(message.to, message.message);
      case 'broadcast':
        return core.broadcast(message.message);
      case 'withdrawStarts':
        return core.withdrawStarts(message.to);
      case 'issue':
        return core.issue(message.order);
      case 'restore':
        return core.restore(message.orders);
      case 'release':
        return core.release(message.pairs);
      case 'releaseAgain':
        return core.releaseAgain(message.stopId, message.tractorId);
      case 'addToFleetStops':
        return core.addToFleetStops(message.tractorId);
      case 'holdForUnknown':
        return core.holdForUnknown(message.order);
      case 'markLost':
        return core.markLost(message.tractorId);
      case 'markHeard':
        return core.markHeard(message.tractorId);
      case 'reserveStopIds':
        return core.reserveStopIds(message.ids);
      case 'alive':
        return;
      case 'keepOut':
        this.keepOut = message.rings;
        return;
      case 'probe':
        this.post({ type: 'probe', requestId: message.requestId, probe: this.probe() });
        return;
      case 'close':
        void this.close().then(() => this.post({ type: 'closed' }));
        return;
    }
  }

  /** What the simulated tractors heard and did since the last probe, and the confirmations timed. */
  private probe(): CoreProbe {
    const heard = this.ear?.takeGaps() ?? new Map<string, { maxGapMs: number; count: number }>();
    return {
      tractors: (this.sim?.tractors ?? []).map((t) => ({
        id: t.id,
        state: t.currentState,
        holds: [...t.holds],
        ownStops: t.ownStops,
        heartbeatGapMaxMs: heard.get(t.id)?.maxGapMs ?? 0,
        heartbeats: heard.get(t.id)?.count ?? 0,
      })),
      confirmations: this.confirmations.splice(0),
      fastStopsHeard: this.fastStopsHeard.splice(0),
      longestTurnMs: this.takeLongestTurnMs(),
    };
  }

  private takeLongestTurnMs(): number {
    const ms = Math.max(0, this.turns.max / 1e6 - TURN_RESOLUTION_MS);
    this.turns.reset();
    return Number.isFinite(ms) ? ms : 0;
  }

  private sendStatus(): void {
    if (this.closed) return;
    const { fleet } = this;
    this.post({
      type: 'status',
      links: fleet.linkStatus().map((l) => ({
        id: l.id,
        rttMs: l.rttMs,
        lossPct: l.lossPct,
        lastHeardAgoMs: l.lastHeardAgoMs,
      })),
      metrics: [
        ...fleetLinkMetrics(fleet.station),
        ...canBusMetrics(this.bus),
        ...(this.canServer ? socketcandMetrics(this.canServer) : []),
      ],
      delivered: fleet.deliveredCount(),
      canServerPort: this.canServerPort,
    });
    this.cancelStatus = this.clock.setTimer(CORE_STATUS_MS, () => this.sendStatus());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.turns.disable();
    this.cancelStatus();
    this.ear?.close();
    this.sim?.close();
    this.core.close();
    this.bus.flushRelays(); // the last turn's frames reach the clients and the capture
    for (const off of this.undo.splice(0)) off();
    await this.canServer?.close();
    this.fleet.close();
    await this.capture?.close();
  }
}

/** Appends to a probe's list, dropping its oldest entry beyond CONFIRMATIONS_KEPT. */
function keepLast<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > CONFIRMATIONS_KEPT) list.shift();
}
