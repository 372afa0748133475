/**
 * The station's safety core in a thread of its own, as the main thread holds it: the same
 * SafetyCorePort as the in-process SafetyCore, over messages. Orders go in order through shared
 * memory the core polls (threads/shared-ring.ts: posting to the worker's port would wake the core
 * while this thread holds the port's lock, and the core would wait for this thread); a fleet stop
 * from a click goes through a ring of its own (the fast path), read first, and is carried out by
 * the core before the station hears of it. What the core says comes back through a ring too,
 * which this thread polls every FROM_CORE_POLL_MS (the worker's port would make the core wait for
 * this thread the same way). The main thread says it is alive every MAIN_THREAD_ALIVE_MS; the
 * core holds the fleet if it stops (docs/safety.md, "The safety core"). What the core says is
 * validated on arrival.
 */
import type { Worker } from 'node:worker_threads';
import { parseWith } from '../../shared/index.js';
import { MAIN_THREAD_ALIVE_MS, type MetricSample, type StationToTractor } from '../link/index.js';
import {
  StopIds,
  type CoreEvents,
  type SafetyCorePort,
  type StopOrder,
} from '../safety-core/index.js';
import type { CanAddressChange, CanAddressFeed } from '../station/index.js';
import type { Clock } from '../time/index.js';
import {
  fromCoreSchema,
  type CoreProbe,
  type CoreSetup,
  type FastStopMessage,
  type FromCoreParsed,
  type CoreRings,
  type ToCore,
} from './thread-messages.js';
import { createRing, RingReader, RingWriter, startWorker } from '../threads/index.js';

/** Room for orders the core has not yet read (more wait on the main thread, in order). */
const ORDER_RING_BYTES = 1 << 20;
const FAST_RING_BYTES = 64 * 1024;
/** Room for what the core says while this thread is busy (more waits in the core, in order). */
const FROM_CORE_RING_BYTES = 1 << 20;
/** How often this thread reads what the core said: the most a confirmation waits to be shown. */
const FROM_CORE_POLL_MS = 4;
/** How soon orders that found the ring full are tried again. */
const BACKLOG_RETRY_MS = 1;

/** How long closing waits for the core to close its bus, link and files before ending it. */
const CLOSE_WAIT_MS = 3_000;

export class SafetyThreadError extends Error {
  override readonly name = 'SafetyThreadError';
}

export interface SafetyThreadOptions {
  setup: CoreSetup;
  /** The main thread's clock (its alive messages and link figures' age). */
  clock: Clock;
  log: (line: string) => void;
}

interface LinkFigures {
  links: Extract<FromCoreParsed, { type: 'status' }>['links'];
  metrics: MetricSample[];
  delivered: number;
  receivedAtMs: number;
}

/** Starts the core's thread; resolves once its bus, link and core run (rejects if they cannot). */
export async function startSafetyThread(options: SafetyThreadOptions): Promise<SafetyThread> {
  const rings: CoreRings = {
    orders: createRing(ORDER_RING_BYTES),
    fastStops: createRing(FAST_RING_BYTES),
    fromCore: createRing(FROM_CORE_RING_BYTES),
  };
  const worker = startWorker(import.meta.url, 'safety-worker', {
    setup: options.setup,
    ...rings,
  });
  const thread = new SafetyThread(worker, rings, options);
  try {
    await thread.ready;
  } catch (error) {
    await thread.stop();
    throw error;
  }
  return thread;
}

export class SafetyThread implements SafetyCorePort {
  readonly ready: Promise<void>;
  /** The station's outbox could not be read back as written (said once the core is up). */
  outboxProblem: { message: string; hold: boolean } | null = null;
  canServerPort: number | null = null;
  private events: CoreEvents | null = null;
  /** What the core said before the station listened (its first hellos), in order. */
  private readonly early: FromCoreParsed[] = [];
  private figures: LinkFigures | null = null;
  private address: number | null = null;
  private readonly addressListeners = new Set<(change: CanAddressChange) => void>();
  private readonly probes = new Map<number, (probe: CoreProbe) => void>();
  private failureListeners = new Set<(message: string) => void>();
  private nextProbe = 1;
  /** Ids of the fast stops chosen here, never the job's recorded stops. */
  private readonly fastStopIds = new StopIds('click');
  private cancelAlive: () => void = () => undefined;
  private closing = false;
  private readonly exited: Promise<void>;
  private readonly orders: RingWriter;
  private readonly fastStops: RingWriter;
  private backlogTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly worker: Worker,
    rings: CoreRings,
    private readonly options: SafetyThreadOptions,
  ) {
    this.orders = new RingWriter(rings.orders);
    this.fastStops = new RingWriter(rings.fastStops);
    let settle: { resolve: () => void; reject: (error: Error) => void } | null = null;
    this.ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    this.exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Like the station's timers, the thread never holds the process open by itself.
    worker.unref();
    const said = new RingReader(rings.fromCore);
    const read = (): void => {
      said.drain((raw) => {
        const parsed = parseWith(fromCoreSchema, raw);
        if (!parsed.ok) return options.log(`safety core: refused a message: ${parsed.error}`);
        const message = parsed.value;
        if (message.type === 'ready') {
          this.outboxProblem = message.outboxProblem;
          settle?.resolve();
        } else if (message.type === 'startFailed')
          settle?.reject(
            new SafetyThreadError(`the safety core did not start: ${message.message}`),
          );
        else this.hear(message);
      });
    };
    // Held open until the core has said whether it started; then, like the station's timers,
    // it does not keep the process alive by itself.
    const polling = setInterval(read, FROM_CORE_POLL_MS);
    const letGo = (): void => void polling.unref();
    this.ready.then(letGo, letGo);
    // What the core said last (why it could not start, that it closed) is read before its end.
    worker.once('exit', () => {
      read();
      clearInterval(polling);
    });
    worker.on('error', (error) => {
      const text = `the safety core failed: ${error.message}`;
      settle?.reject(new SafetyThreadError(text));
      this.failed(text);
    });
    worker.once('exit', (code) => {
      settle?.reject(new SafetyThreadError(`the safety core ended (exit ${code}) before it ran`));
      if (!this.closing) this.failed(`the safety core ended (exit ${code})`);
    });
  }

  /** The station's own CAN address, as the core's ISOBUS node claims it. */
  readonly canAddress: CanAddressFeed = {
    current: () => this.address,
    onChange: (listener) => {
      this.addressListeners.add(listener);
      return () => this.addressListeners.delete(listener);
    },
  };

  /** Called if the core's thread fails or ends while the station runs (its heartbeats with it). */
  onFailure(listener: (message: string) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  listen(events: CoreEvents): void {
    this.events = events;
    for (const message of this.early.splice(0)) this.hear(message);
    // From now on the core watches the main thread.
    this.alive();
  }

  send(to: string, message: StationToTractor): void {
    this.order({ type: 'send', to, message });
  }

  broadcast(message: StationToTractor): void {
    this.order({ type: 'broadcast', message });
  }

  withdrawStarts(to: string): void {
    this.order({ type: 'withdrawStarts', to });
  }

  issue(order: StopOrder): void {
    this.order({ type: 'issue', order });
  }

  restore(orders: readonly StopOrder[]): void {
    this.order({ type: 'restore', orders });
  }

  release(pairs: readonly { stopId: string; tractorId: string }[]): void {
    this.order({ type: 'release', pairs });
  }

  releaseAgain(stopId: string, tractorId: string): void {
    this.order({ type: 'releaseAgain', stopId, tractorId });
  }

  addToFleetStops(tractorId: string): void {
    this.order({ type: 'addToFleetStops', tractorId });
  }

  holdForUnknown(order: StopOrder): void {
    this.order({ type: 'holdForUnknown', order });
  }

  markLost(tractorId: string): void {
    this.order({ type: 'markLost', tractorId });
  }

  markHeard(tractorId: string): void {
    this.order({ type: 'markHeard', tractorId });
  }

  reserveStopIds(ids: readonly string[]): void {
    this.fastStopIds.reserve(ids);
    this.order({ type: 'reserveStopIds', ids });
  }

  /**
   * The fast path: the core stops the fleet the moment it hears this, whatever waits in the
   * order queue, and then tells the station (fastStop event). The id is chosen here, so the
   * caller can answer at once.
   */
  fastStop(actor: string, id?: string): string {
    const stopId = id ?? this.fastStopIds.next(this.options.clock.wallNow());
    const message: FastStopMessage = { type: 'fastStop', actor, id: stopId };
    this.fastStops.send(message);
    this.retryBacklog();
    return stopId;
  }

  /** Keep-out zones for the simulated tractors on the core's bus. */
  keepOut(rings: [number, number][][]): void {
    this.order({ type: 'keepOut', rings });
  }

  /** Link quality per tractor; a silence counts on from when the core last said it. */
  linkStatus(): {
    id: string;
    rttMs: number | null;
    lossPct: number;
    lastHeardAgoMs: number | null;
  }[] {
    const figures = this.figures;
    if (!figures) return [];
    const age = this.options.clock.now() - figures.receivedAtMs;
    return figures.links.map((l) => ({
      ...l,
      lastHeardAgoMs: l.lastHeardAgoMs === null ? null : l.lastHeardAgoMs + age,
    }));
  }

  metrics(): MetricSample[] {
    return this.figures?.metrics ?? [];
  }

  deliveredCount(): number {
    return this.figures?.delivered ?? 0;
  }

  /** What the simulated tractors heard and did since the last probe (and confirmations timed). */
  probe(): Promise<CoreProbe> {
    const requestId = this.nextProbe++;
    return new Promise((resolve) => {
      this.probes.set(requestId, resolve);
      this.order({ type: 'probe', requestId });
    });
  }

  /** Asks the core to close (its bus, link, server and capture); stop() waits for it. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.cancelAlive();
    this.order({ type: 'close' });
  }

  /** Closes the core and ends its thread (at the latest CLOSE_WAIT_MS later). */
  async stop(): Promise<void> {
    this.close();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.exited,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS))),
    ]);
    clearTimeout(timer);
    clearTimeout(this.backlogTimer);
    await this.worker.terminate();
  }

  private order(message: ToCore): void {
    this.orders.send(message);
    this.retryBacklog();
  }

  /** Orders that found a ring full go as soon as the core has read enough, still in order. */
  private retryBacklog(): void {
    if (this.backlogTimer || (this.orders.backlog === 0 && this.fastStops.backlog === 0)) return;
    this.backlogTimer = setTimeout(() => {
      this.backlogTimer = undefined;
      this.fastStops.flush();
      this.orders.flush();
      this.retryBacklog();
    }, BACKLOG_RETRY_MS);
    this.backlogTimer.unref();
  }

  private alive(): void {
    if (this.closing) return;
    this.order({ type: 'alive' });
    this.cancelAlive = this.options.clock.setTimer(MAIN_THREAD_ALIVE_MS, () => this.alive());
  }

  private hear(message: FromCoreParsed): void {
    const events = this.events;
    switch (message.type) {
      case 'status':
        this.canServerPort = message.canServerPort;
        this.figures = {
          links: message.links,
          metrics: message.metrics,
          delivered: message.delivered,
          receivedAtMs: this.options.clock.now(),
        };
        return;
      case 'canAddress':
        this.address = message.address;
        for (const listener of this.addressListeners) listener(message);
        return;
      case 'probe':
        this.probes.get(message.requestId)?.(message.probe);
        this.probes.delete(message.requestId);
        return;
      case 'log':
        this.options.log(message.line);
        return;
      case 'closed':
        void this.worker.terminate();
        return;
      case 'ready':
      case 'startFailed':
        return;
    }
    if (!events) {
      this.early.push(message);
      return;
    }
    switch (message.type) {
      case 'message':
        return events.message(message.from, message.message);
      case 'confirmed':
        return events.confirmed(message.stopId, message.tractorId, message.latencyMs);
      case 'fastStop':
        return events.fastStop(message.order);
      case 'mainThreadSilent':
        return events.mainThreadSilent?.(message.silentMs, message.stopId);
    }
  }

  private failed(message: string): void {
    this.options.log(`safety core: ${message}`);
    for (const listener of this.failureListeners) listener(message);
  }
}
