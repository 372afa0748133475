/**
 * The station's safety core in a process of its own, as the station holds it: the same
 * SafetyCorePort as the in-process SafetyCore, over messages in pipes (threads/message-pipe.ts).
 * A process, not a thread: a thread shares the station's heap, its garbage collector's helper
 * threads and the kernel's locks on its memory, and on a loaded machine those held the core's
 * thread up for tens and once over a thousand milliseconds while the station worked; a process
 * shares none of them. Orders go in order through one pipe; a fleet stop from a click goes
 * through a pipe of its own (the fast path) and is carried out by the core before the station
 * hears of it. What the core says is validated on arrival. The main thread says it is alive
 * every MAIN_THREAD_ALIVE_MS; the core holds the fleet if it stops, and if the station's process
 * ends the core stops the fleet and ends too (docs/safety.md, "The safety core").
 */
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
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
  CORE_PIPE_FDS,
  fromCoreSchema,
  type CoreProbe,
  type CoreSetup,
  type FastStopMessage,
  type FromCoreParsed,
  type ToCore,
} from './core-messages.js';
import { frameMessage, MessagePipeReader, startProcess } from '../threads/index.js';

/** How long closing waits for the core to close its bus, link and files before ending it. */
const CLOSE_WAIT_MS = 3_000;

export class SafetyProcessError extends Error {
  override readonly name = 'SafetyProcessError';
}

export interface SafetyProcessOptions {
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

/** Starts the core's process; resolves once its bus, link and core run (rejects if they cannot). */
export async function startSafetyProcess(options: SafetyProcessOptions): Promise<SafetyProcess> {
  const pipes: ('ignore' | 'inherit' | 'pipe')[] = ['ignore', 'inherit', 'inherit'];
  for (let fd = pipes.length; fd <= Math.max(...Object.values(CORE_PIPE_FDS)); fd++)
    pipes.push('pipe');
  const child = startProcess(import.meta.url, 'core-process', { stdio: pipes });
  const core = new SafetyProcess(child, options);
  try {
    await core.ready;
  } catch (error) {
    await core.stop();
    throw error;
  }
  options.log(`safety core: running in process ${core.pid}`);
  return core;
}

export class SafetyProcess implements SafetyCorePort {
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
  private readonly orders: Socket;
  private readonly fastStops: Socket;

  constructor(
    private readonly child: ChildProcess,
    private readonly options: SafetyProcessOptions,
  ) {
    this.orders = pipe(child, CORE_PIPE_FDS.orders);
    this.fastStops = pipe(child, CORE_PIPE_FDS.fastStops);
    const said = pipe(child, CORE_PIPE_FDS.fromCore);
    let settle: { resolve: () => void; reject: (error: Error) => void } | null = null;
    this.ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    // A process that could not be started says so by 'error' alone, without an 'exit'.
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    const reader = new MessagePipeReader(
      (raw) => {
        const parsed = parseWith(fromCoreSchema, raw);
        if (!parsed.ok) return options.log(`safety core: refused a message: ${parsed.error}`);
        const message = parsed.value;
        if (message.type === 'ready') {
          this.outboxProblem = message.outboxProblem;
          settle?.resolve();
        } else if (message.type === 'startFailed')
          settle?.reject(
            new SafetyProcessError(`the safety core did not start: ${message.message}`),
          );
        else this.hear(message);
      },
      (error) => this.failed(`what the safety core said could not be read: ${error.message}`),
    );
    said.on('data', (chunk: Buffer) => reader.push(chunk));
    // A core that ended has said its last; the station learns of its end from 'exit'.
    for (const socket of [this.orders, this.fastStops, said]) socket.on('error', () => undefined);
    // Held open until the core has said whether it started; then, like the station's timers,
    // the core does not keep the station's process alive by itself.
    const letGo = (): void => {
      child.unref();
      for (const socket of [this.orders, this.fastStops, said]) socket.unref();
    };
    this.ready.then(letGo, letGo);
    child.on('error', (error) => {
      const text = `the safety core failed: ${error.message}`;
      settle?.reject(new SafetyProcessError(text));
      this.failed(text);
    });
    // What the core said last (why it could not start, that it closed) is read before its end.
    said.once('close', () => {
      const ended = (code: number | null, signal: NodeJS.Signals | null): void => {
        const how = signal ? `signal ${signal}` : `exit ${code}`;
        settle?.reject(new SafetyProcessError(`the safety core ended (${how}) before it ran`));
        if (!this.closing) this.failed(`the safety core ended (${how})`);
      };
      if (child.exitCode !== null || child.signalCode !== null)
        ended(child.exitCode, child.signalCode);
      else child.once('exit', ended);
    });
    this.order(options.setup);
  }

  /** The core's process id (0 if it could not be started). */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** The station's own CAN address, as the core's ISOBUS node claims it. */
  readonly canAddress: CanAddressFeed = {
    current: () => this.address,
    onChange: (listener) => {
      this.addressListeners.add(listener);
      return () => this.addressListeners.delete(listener);
    },
  };

  /** Called if the core's process fails or ends while the station runs (its heartbeats with it). */
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
    if (this.fastStops.writable) this.fastStops.write(frameMessage(message));
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

  /** Closes the core and ends its process (at the latest CLOSE_WAIT_MS later). */
  async stop(): Promise<void> {
    this.close();
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_WAIT_MS))),
    ]);
    clearTimeout(timer);
    if (!closed) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  private order(message: ToCore | CoreSetup): void {
    if (this.orders.writable) this.orders.write(frameMessage(message));
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

/** The station's end of one of the core's pipes. */
function pipe(child: ChildProcess, fd: number): Socket {
  const stream = child.stdio[fd];
  if (!stream) throw new SafetyProcessError(`the safety core's pipe ${fd} was not opened`);
  return stream as Socket;
}
