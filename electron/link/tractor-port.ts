/**
 * The foundation's TractorPort over the real fleet link (docs/fleet-protocol.md §6): hello and
 * progress go reliable, telemetry as two broadcast frames (latest wins), stop-confirm as one
 * broadcast frame; worked intervals are merged per section and sent at most every 2 s.
 */
import { ref32 } from './crc.js';
import { BodyDecodeError } from './byte-codec.js';
import {
  decodeAssign,
  decodeEmpty,
  encodeHello,
  encodeProgress,
  modeCode,
  stopRefOf,
  stateCode,
  stopIdForRef,
} from './fleet-codec.js';
import type { BroadcastEvent, FleetLinkNode } from './fleet-link-node.js';
import { STATION_ADDRESS, type StationToTractor, type TractorToStation } from './fleet-messages.js';
import type { TractorPort } from './fleet-port.js';
import { newCounters } from './port-counters.js';
import { MSG } from './wire-format.js';
import {
  decodeModeCommit,
  decodeModeRequest,
  decodeRelease,
  decodeSpeedLimit,
  encodeAlert,
  encodeModeReply,
  encodeReleaseRefused,
} from './safety-codec.js';

type Telemetry = Extract<TractorToStation, { kind: 'telemetry' }>;

export interface TractorPortOptions {
  /** Coverage is coalesced and sent reliably at most this often per section (and on a section change). */
  coverageFlushMs?: number;
  /** The id the station knows this machine by, when not its roster id (see TractorPort). */
  stationSideId?: string;
}

export const DEFAULT_COVERAGE_FLUSH_MS = 2_000;

export class FleetLinkTractorPort implements TractorPort {
  readonly address: string;
  readonly stationSideId?: string;
  readonly counters = newCounters();
  private readonly handlers = new Set<(message: StationToTractor) => void>();
  private readonly flushMs: number;
  private hello: Uint8Array | undefined;
  private stationInstance: number | undefined;
  private currentRef = 0;
  private sentRef = 0;
  private lastFlushMs = -Infinity;
  private state = 0;
  /** Pending worked intervals per section reference, merged. */
  private readonly pending = new Map<number, [number, number][]>();
  /**
   * The bodies of the last progress flush the link accepted. A stopped machine keeps reporting
   * its leg's cumulative interval; sending the same progress again tells the station nothing,
   * and out of contact every copy would wait in the sync lane (300 in ten minutes) to be sent
   * before anything else of ours on that lane when the station is heard again.
   */
  private lastProgress: string | undefined;
  /** Link ids of that flush's messages: one expiring undelivered lets the next copy go. */
  private lastProgressIds = new Set<string>();
  private readonly offs: (() => void)[] = [];
  private cancelFlush: (() => void) | undefined;

  constructor(
    readonly link: FleetLinkNode,
    options: TractorPortOptions = {},
  ) {
    this.address = link.id;
    if (options.stationSideId !== undefined) this.stationSideId = options.stationSideId;
    this.flushMs = options.coverageFlushMs ?? DEFAULT_COVERAGE_FLUSH_MS;
    this.offs.push(link.onReliable((peer, type, body) => this.onReliable(peer, type, body)));
    this.offs.push(link.onBroadcast((peer, _source, event) => this.onBroadcast(peer, event)));
    this.offs.push(
      link.onOutcome((event) => {
        if (event.outcome !== 'delivered' && this.lastProgressIds.has(event.id))
          this.lastProgress = undefined;
      }),
    );
  }

  send(message: TractorToStation): void {
    switch (message.kind) {
      case 'hello':
        this.hello = encodeHello(message);
        this.reliable(MSG.HELLO, this.hello);
        return;
      case 'stop-confirm':
        this.link.sendStopConfirm(stopRefOf(message.stopId), this.state);
        return;
      case 'telemetry':
        this.telemetry(message);
        return;
      case 'mode-reply':
        this.reliable(
          MSG.MODE_REPLY,
          encodeModeReply(message.requestId, message.accepted, message.reason),
        );
        return;
      case 'release-refused':
        this.reliable(
          MSG.RELEASE_REFUSED,
          encodeReleaseRefused(stopRefOf(message.stopId), message.reason),
        );
        return;
      case 'alert':
        this.reliable(MSG.ALERT, encodeAlert(message.severity, message.message));
        return;
    }
  }

  onMessage(handler: (message: StationToTractor) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  close(): void {
    this.cancelFlush?.();
    for (const off of this.offs.splice(0)) off();
  }

  private reliable(type: number, body: Uint8Array): string | undefined {
    const r = this.link.sendReliable(STATION_ADDRESS, type, body);
    if (!r.ok) this.counters.refused++;
    return r.ok ? r.id : undefined;
  }

  private telemetry(t: Telemetry): void {
    this.state = stateCode(t.state);
    this.link.setStatus(this.state);
    this.link.sendTelemetry(
      { latDeg: t.position[1], headingDeg: t.headingDeg },
      {
        lonDeg: t.position[0],
        speedMps: t.speedMps,
        state: this.state,
        mode: modeCode(t.mode),
        ...(t.ownStop === undefined ? {} : { ownStop: t.ownStop }),
      },
    );
    this.currentRef = t.currentSectionId === null ? 0 : ref32(t.currentSectionId);
    if (t.coverage && t.coverage.toM > t.coverage.fromM)
      this.addCoverage(ref32(t.coverage.sectionId), t.coverage.fromM, t.coverage.toM);
    const now = this.link.clock.now();
    if (
      this.currentRef !== this.sentRef ||
      (this.pending.size > 0 && now - this.lastFlushMs >= this.flushMs)
    )
      this.flush(now);
    else if (this.pending.size > 0 && !this.cancelFlush) {
      // The last worked interval must reach the station even if telemetry stops (job done, stop).
      this.cancelFlush = this.link.clock.setTimer(this.lastFlushMs + this.flushMs - now, () => {
        this.cancelFlush = undefined;
        if (this.pending.size > 0) this.flush(this.link.clock.now());
      });
    }
  }

  private addCoverage(ref: number, from: number, to: number): void {
    const list = this.pending.get(ref) ?? [];
    list.push([from, to]);
    list.sort((x, y) => x[0] - y[0]);
    const merged: [number, number][] = [];
    for (const iv of list) {
      const last = merged[merged.length - 1];
      if (last && iv[0] <= last[1] + 1e-6) last[1] = Math.max(last[1], iv[1]);
      else merged.push([iv[0], iv[1]]);
    }
    this.pending.set(ref, merged);
  }

  private flush(now: number): void {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    this.lastFlushMs = now;
    this.sentRef = this.currentRef;
    const bodies: Uint8Array[] = [];
    for (const [sectionRef, list] of this.pending) {
      for (const [fromM, toM] of list)
        bodies.push(
          encodeProgress({ currentRef: this.currentRef, coverage: { sectionRef, fromM, toM } }),
        );
    }
    this.pending.clear();
    if (bodies.length === 0)
      bodies.push(encodeProgress({ currentRef: this.currentRef, coverage: null }));
    const key = bodies.map((b) => Buffer.from(b).toString('hex')).join(',');
    if (key === this.lastProgress) return;
    const ids = bodies.map((body) => this.reliable(MSG.PROGRESS, body));
    const accepted = ids.filter((id) => id !== undefined);
    this.lastProgress = accepted.length === ids.length ? key : undefined;
    this.lastProgressIds = new Set(accepted);
  }

  private emit(message: StationToTractor): void {
    this.counters.delivered++;
    for (const h of [...this.handlers]) h(message);
  }

  private onReliable(peer: string, type: number, body: Uint8Array): void {
    if (peer !== STATION_ADDRESS) return; // commands come only from the station
    try {
      switch (type) {
        case MSG.START:
          decodeEmpty(body);
          return this.emit({ kind: 'start' });
        case MSG.PAUSE:
          decodeEmpty(body);
          return this.emit({ kind: 'pause' });
        case MSG.ASSIGN:
          return this.emit({ kind: 'assign', sections: decodeAssign(body) });
        case MSG.RELEASE: {
          const release = decodeRelease(body);
          return this.emit({
            kind: 'release',
            stopId: stopIdForRef(release.stopRef),
            auth: release.auth,
          });
        }
        case MSG.SPEED_LIMIT:
          return this.emit({ kind: 'speed-limit', maxMps: decodeSpeedLimit(body) });
        case MSG.MODE_REQUEST:
          return this.emit({ kind: 'mode-request', ...decodeModeRequest(body) });
        case MSG.MODE_COMMIT:
          return this.emit({ kind: 'mode-commit', ...decodeModeCommit(body) });
        default:
          return;
      }
    } catch (error) {
      if (!(error instanceof BodyDecodeError)) throw error;
      this.counters.badBodies++;
    }
  }

  private onBroadcast(peer: string, event: BroadcastEvent): void {
    if (event.kind === 'estop') {
      // Anyone may stop (docs/safety.md): no check of the sender.
      if (event.forMe) this.emit({ kind: 'estop', stopId: stopIdForRef(event.frame.stopRef) });
      return;
    }
    if (event.kind !== 'heartbeat' || peer !== STATION_ADDRESS) return;
    const instance = event.frame.status;
    if (this.stationInstance !== undefined && instance !== this.stationInstance) {
      // The station restarted. One without its outbox numbers its messages afresh, perhaps under
      // an epoch an earlier instance used: what we had from before must not make us drop them.
      this.link.engine.peerRestarted(peer);
      // Introduce ourselves again (a hello to a running station is harmless), and let the next
      // progress go even if unchanged (the new station may not have it).
      if (this.hello) this.reliable(MSG.HELLO, this.hello);
      this.lastProgress = undefined;
    }
    this.stationInstance = instance;
    this.emit({ kind: 'heartbeat', seq: event.frame.seq });
  }
}
