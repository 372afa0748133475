/**
 * The system the stop/release/resume model test drives: the real station core on a small field,
 * the real fleet link (every machine an ISO 11783 node on a 250 kbit/s virtual CAN bus, with
 * frame loss on demand), simulated tractors, the job record on disk, and a page that talks to
 * the station through the real WebSocket bridge with an operator's token — all on a ManualClock.
 * The station can be killed and restarted on the same data folder while the tractors run on.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  BRIDGE_PATH,
  bridgeResponseSchema,
  type Command,
  type CommandResult,
} from '../../../shared/index.js';
import { VirtualBus } from '../../can/index.js';
import { fieldFromLocal, rectRing } from '../../fleet/test-helpers/fields.js';
import { validateField, type ValidField } from '../../fleet/index.js';
import { createVirtualFleet, type VirtualFleet } from '../../link/index.js';
import { JobStore } from '../../records/index.js';
import { FleetKey } from '../../safety/index.js';
import { AccessTokens, StationHttpServer, StationMetrics } from '../../server/index.js';
import { Station } from '../../station/index.js';
import { ManualClock } from '../../time/index.js';
import { SimFleet } from '../sim-fleet.js';

/** A 120 m × 84 m field: a headland ring and a few swaths, worked by three machines in minutes. */
const FIELD_WIDTH_M = 120;
const FIELD_HEIGHT_M = 84;
const IMPLEMENT_WIDTH_M = 12;
const BITRATE = 250_000;
/** ISO 11783-5 address claim (250 ms) plus the hellos: the fleet has joined by then. */
const JOIN_MS = 800;
const OPERATOR_TOKEN = 'workflow-operator-token';

export function workflowField(): ValidField {
  const geometry = fieldFromLocal('Model field', [rectRing(0, 0, FIELD_WIDTH_M, FIELD_HEIGHT_M)]);
  const valid = validateField(geometry);
  if (!valid.ok) throw new Error(valid.error.message);
  return valid.value;
}

/** A page of the station: a bridge connection that can drop and come back. */
export class WorkflowPage {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, (result: CommandResult) => void>();

  constructor(private url: string) {}

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  async connect(url = this.url): Promise<void> {
    this.url = url;
    this.drop();
    const socket = new WebSocket(`${url}${BRIDGE_PATH}?token=${OPERATOR_TOKEN}`);
    this.socket = socket;
    socket.on('message', (data: Buffer) => {
      const parsed = bridgeResponseSchema.safeParse(JSON.parse(data.toString()));
      if (!parsed.success || parsed.data.op !== 'result') return;
      this.waiting.get(parsed.data.id)?.(parsed.data.result);
      this.waiting.delete(parsed.data.id);
    });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
  }

  /** The connection drops (a cable, a closed lid): nothing sent from now on arrives. */
  drop(): void {
    this.socket?.terminate();
    this.socket = null;
    for (const resolve of this.waiting.values())
      resolve({ ok: false, error: { code: 'unavailable', message: 'connection dropped' } });
    this.waiting.clear();
  }

  /** Gives a command as the page does; a dropped page reaches nothing. */
  command(command: Command): Promise<CommandResult> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN)
      return Promise.resolve({
        ok: false,
        error: { code: 'unavailable', message: 'this page cannot reach the station' },
      });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      socket.send(JSON.stringify({ op: 'command', id, command }));
    });
  }
}

export interface WorkflowWorldOptions {
  tractors: number;
  /** The station's log lines (for a failing sequence's report). */
  log?: (line: string) => void;
  /** Seeds the bus's fault draws and the link's jitter. */
  seed: number;
}

export class WorkflowWorld {
  readonly clock = new ManualClock();
  readonly bus: VirtualBus;
  readonly fleet: VirtualFleet;
  readonly tractors: SimFleet;
  readonly field = workflowField();
  readonly dataDir = mkdtempSync(join(tmpdir(), 'headland-workflow-'));
  readonly fleetKey = FleetKey.generate();
  readonly page: WorkflowPage;
  station: Station;
  private server: StationHttpServer | null = null;
  /** A killed station writes nothing more (kill -9); its successor reads what was written. */
  private storeDead = false;
  private readonly staticDir: string;

  private constructor(private readonly options: WorkflowWorldOptions) {
    this.bus = new VirtualBus({
      clock: this.clock,
      name: 'can0',
      bitrate: BITRATE,
      seed: options.seed,
    });
    this.fleet = createVirtualFleet({ clock: this.clock, bus: this.bus, seed: options.seed });
    this.staticDir = join(this.dataDir, 'static');
    mkdirSync(this.staticDir);
    writeFileSync(join(this.staticDir, 'index.html'), '<!doctype html><title>t</title>');
    this.station = this.newStation();
    this.tractors = new SimFleet({
      clock: this.clock,
      bus: this.fleet,
      count: options.tractors,
      parking: this.field.geometry.boundary[0] ?? [],
      fence: this.field.geometry.boundary[0] ?? [],
      implementWidthM: IMPLEMENT_WIDTH_M,
      fleetKey: this.fleetKey,
    });
    this.page = new WorkflowPage('');
  }

  static async start(options: WorkflowWorldOptions): Promise<WorkflowWorld> {
    const world = new WorkflowWorld(options);
    await world.run(JOIN_MS, 5);
    await world.fleet.ready();
    await world.serve();
    return world;
  }

  get tractorIds(): string[] {
    return this.tractors.tractors.map((t) => t.id);
  }

  /** Advances simulated time, letting the link's promise callbacks run between steps. */
  async run(ms: number, stepMs = 10): Promise<void> {
    for (let t = 0; t < ms; t += stepMs) {
      this.clock.advance(Math.min(stepMs, ms - t));
      await Promise.resolve();
      await Promise.resolve();
    }
  }

  /**
   * kill -9 of the station and a new station process on the same data folder: nothing more is
   * written, the link is silent at once, and the new station claims its address and reads the
   * job record back. The page's connection drops with the old process and it reconnects.
   */
  async restartStation(): Promise<void> {
    this.storeDead = true;
    this.station.close();
    this.fleet.crashStation();
    this.page.drop();
    await this.server?.close();
    this.server = null;
    this.storeDead = false;
    const started = this.fleet.restartStation();
    this.station = this.newStation();
    await this.run(JOIN_MS, 5);
    await started;
    await this.serve();
  }

  async close(): Promise<void> {
    this.page.drop();
    await this.server?.close();
    this.tractors.close();
    this.station.close();
    this.fleet.close();
  }

  private newStation(): Station {
    const store = new JobStore(this.dataDir);
    const dead = (): boolean => this.storeDead;
    const guarded = new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'save' && dead()) return () => undefined;
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    return new Station({
      clock: this.clock,
      fleetKey: this.fleetKey,
      port: this.fleet.stationPort(),
      field: this.field,
      plan: { swathWidthM: IMPLEMENT_WIDTH_M, headlandPasses: 1 },
      name: 'workflow station',
      softwareVersion: 'test',
      store: guarded,
      linkStatus: () => this.fleet.linkStatus(),
      log: (line) => this.options.log?.(`${this.clock.now()} ${line}`),
    });
  }

  private async serve(): Promise<void> {
    const station = this.station;
    this.server = new StationHttpServer({
      station,
      metrics: new StationMetrics({
        tractors: () => station.tractorCount(),
        stopsActive: () => station.activeStopCount(),
        fleetMessages: () => 0,
      }),
      clock: this.clock,
      staticDir: this.staticDir,
      softwareVersion: 'test',
      tokens: new AccessTokens({
        operator: OPERATOR_TOKEN,
        viewer: 'workflow-viewer-token',
        admin: 'workflow-admin-token',
      }),
    });
    const port = await this.server.listen(0, '127.0.0.1');
    await this.page.connect(`ws://127.0.0.1:${port}`);
  }
}
