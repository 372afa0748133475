/**
 * The foundation's StationPort and TractorPort over the real fleet link, so the station and the
 * simulator switch from LocalFleetBus by construction only. Mapping (docs/fleet-protocol.md):
 * assign/start/pause/release/hello/progress go reliable; telemetry is two broadcast frames at
 * 10 Hz plus a reliable progress message (current section, worked interval) coalesced to at most
 * one per second per section; e-stop and stop-confirm are single broadcast frames repeated by
 * the application (the station's stop coordinator) until confirmed.
 */
import type { LonLat } from '../../shared/index.js';
import { ref32 } from './crc.js';
import { BodyDecodeError } from './byte-codec.js';
import {
  decodeAssign,
  decodeEmpty,
  decodeHello,
  decodeProgress,
  decodeRef,
  encodeAssign,
  encodeHello,
  encodeProgress,
  encodeRef,
  modeCode,
  modeOf,
  refOfStopId,
  stateCode,
  stateOf,
  stopIdForRef,
} from './fleet-codec.js';
import type { FleetLinkNode, BroadcastEvent } from './fleet-link-node.js';
import { STATION_ADDRESS, type CoverageSegment, type StationToTractor, type TractorToStation } from './fleet-messages.js';
import type { StationPort, TractorPort } from './fleet-port.js';
import type { TelemetryA, TelemetryB } from './link-frames.js';
import { ALL_TRACTORS, MSG } from './wire-format.js';

export interface PortCounters {
  delivered: number;
  badBodies: number;
  unknownRefs: number;
  refused: number;
  unaddressed: number;
}

function newCounters(): PortCounters {
  return { delivered: 0, badBodies: 0, unknownRefs: 0, refused: 0, unaddressed: 0 };
}

type Telemetry = Extract<TractorToStation, { kind: 'telemetry' }>;

interface TractorView {
  a: TelemetryA | undefined;
  b: TelemetryB | undefined;
  last: Telemetry | undefined;
  currentSectionId: string | null;
  pendingCoverage: CoverageSegment[];
}

export class FleetLinkStationPort implements StationPort {
  readonly counters = newCounters();
  private readonly handlers = new Set<(from: string, message: TractorToStation) => void>();
  private readonly stopIds = new Map<number, string>();
  private readonly sectionIds = new Map<number, string>();
  private readonly views = new Map<string, TractorView>();
  private readonly offs: (() => void)[] = [];

  constructor(
    readonly link: FleetLinkNode,
    /** Changes on every station start so tractors notice a restart and introduce themselves again. */
    instance = Math.floor(link.clock.wallNow()) % 255,
  ) {
    link.setStatus(instance);
    this.offs.push(link.onReliable((peer, type, body) => this.onReliable(peer, type, body)));
    this.offs.push(link.onBroadcast((peer, _source, event) => this.onBroadcast(peer, event)));
  }

  send(to: string, message: StationToTractor): void {
    switch (message.kind) {
      case 'estop': {
        const ref = this.stopRef(message.stopId);
        const address = this.link.addressOf(to);
        if (address === undefined) {
          this.counters.unaddressed++;
          return;
        }
        this.link.sendEstop(address, ref);
        return;
      }
      case 'release':
        return this.reliable(to, MSG.RELEASE, encodeRef(this.stopRef(message.stopId)));
      case 'start':
        return this.reliable(to, MSG.START, new Uint8Array());
      case 'pause':
        return this.reliable(to, MSG.PAUSE, new Uint8Array());
      case 'assign':
        for (const s of message.sections) this.sectionIds.set(ref32(s.id), s.id);
        return this.reliable(to, MSG.ASSIGN, encodeAssign(message.sections));
      case 'heartbeat':
        return; // the link sends its own heartbeat every period
    }
  }

  broadcast(message: StationToTractor): void {
    if (message.kind === 'estop') {
      this.link.sendEstop(ALL_TRACTORS, this.stopRef(message.stopId));
      return;
    }
    if (message.kind === 'heartbeat') return;
    for (const id of this.link.knownPeers()) this.send(id, message);
  }

  onMessage(handler: (from: string, message: TractorToStation) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  close(): void {
    for (const off of this.offs.splice(0)) off();
  }

  private stopRef(stopId: string): number {
    const ref = refOfStopId(stopId) ?? ref32(stopId);
    this.stopIds.set(ref, stopId);
    return ref;
  }

  private reliable(to: string, type: number, body: Uint8Array): void {
    const r = this.link.sendReliable(to, type, body);
    if (!r.ok) this.counters.refused++;
  }

  private emit(from: string, message: TractorToStation): void {
    this.counters.delivered++;
    for (const h of [...this.handlers]) h(from, message);
  }

  private view(peer: string): TractorView {
    let v = this.views.get(peer);
    if (!v) {
      v = { a: undefined, b: undefined, last: undefined, currentSectionId: null, pendingCoverage: [] };
      this.views.set(peer, v);
    }
    return v;
  }

  private onReliable(peer: string, type: number, body: Uint8Array): void {
    try {
      if (type === MSG.HELLO) return this.emit(peer, { kind: 'hello', ...decodeHello(body) });
      if (type !== MSG.PROGRESS) return;
      const p = decodeProgress(body);
      const v = this.view(peer);
      v.currentSectionId = p.currentRef === 0 ? null : (this.sectionIds.get(p.currentRef) ?? null);
      if (p.currentRef !== 0 && v.currentSectionId === null) this.counters.unknownRefs++;
      if (p.coverage) {
        const sectionId = this.sectionIds.get(p.coverage.sectionRef);
        if (sectionId === undefined) this.counters.unknownRefs++;
        else v.pendingCoverage.push({ sectionId, fromM: p.coverage.fromM, toM: p.coverage.toM });
      }
      this.flushCoverage(peer, v);
    } catch (error) {
      if (!(error instanceof BodyDecodeError)) throw error;
      this.counters.badBodies++;
    }
  }

  /** Coverage rides on a telemetry message (the shape the station consumes), once a position is known. */
  private flushCoverage(peer: string, v: TractorView): void {
    if (!v.last) return;
    for (const coverage of v.pendingCoverage.splice(0)) this.emit(peer, { ...v.last, currentSectionId: v.currentSectionId, coverage });
  }

  private onBroadcast(peer: string, event: BroadcastEvent): void {
    if (peer === STATION_ADDRESS) return;
    if (event.kind === 'stop-confirm') {
      const stopId = this.stopIds.get(event.frame.stopRef);
      if (stopId === undefined) {
        this.counters.unknownRefs++;
        return;
      }
      this.emit(peer, { kind: 'stop-confirm', stopId });
      return;
    }
    if (event.kind !== 'telemetry-a' && event.kind !== 'telemetry-b') return;
    const v = this.view(peer);
    if (event.kind === 'telemetry-a') v.a = event.frame;
    else v.b = event.frame;
    if (!v.a || !v.b || v.a.seq !== v.b.seq) return;
    const { a, b } = v;
    v.a = undefined;
    v.b = undefined;
    try {
      const position: LonLat = [b.lonDeg, a.latDeg];
      v.last = {
        kind: 'telemetry',
        position,
        headingDeg: a.headingDeg,
        speedMps: b.speedMps,
        state: stateOf(b.state),
        mode: modeOf(b.mode),
        currentSectionId: v.currentSectionId,
        coverage: null,
      };
    } catch (error) {
      if (!(error instanceof BodyDecodeError)) throw error;
      this.counters.badBodies++;
      return;
    }
    if (v.pendingCoverage.length > 0) this.flushCoverage(peer, v);
    else this.emit(peer, v.last);
  }
}

export interface TractorPortOptions {
  /** Coverage is coalesced and sent reliably at most this often per section (and on a section change). */
  coverageFlushMs?: number;
}

export const DEFAULT_COVERAGE_FLUSH_MS = 2_000;

export class FleetLinkTractorPort implements TractorPort {
  readonly address: string;
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
  private readonly offs: (() => void)[] = [];
  private cancelFlush: (() => void) | undefined;

  constructor(
    readonly link: FleetLinkNode,
    options: TractorPortOptions = {},
  ) {
    this.address = link.id;
    this.flushMs = options.coverageFlushMs ?? DEFAULT_COVERAGE_FLUSH_MS;
    this.offs.push(link.onReliable((peer, type, body) => this.onReliable(peer, type, body)));
    this.offs.push(link.onBroadcast((peer, _source, event) => this.onBroadcast(peer, event)));
  }

  send(message: TractorToStation): void {
    switch (message.kind) {
      case 'hello':
        this.hello = encodeHello(message);
        this.reliable(MSG.HELLO, this.hello);
        return;
      case 'stop-confirm':
        this.link.sendStopConfirm(refOfStopId(message.stopId) ?? ref32(message.stopId), this.state);
        return;
      case 'telemetry':
        this.telemetry(message);
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

  private reliable(type: number, body: Uint8Array): void {
    const r = this.link.sendReliable(STATION_ADDRESS, type, body);
    if (!r.ok) this.counters.refused++;
  }

  private telemetry(t: Telemetry): void {
    this.state = stateCode(t.state);
    this.link.setStatus(this.state);
    this.link.sendTelemetry(
      { latDeg: t.position[1], headingDeg: t.headingDeg },
      { lonDeg: t.position[0], speedMps: t.speedMps, state: this.state, mode: modeCode(t.mode) },
    );
    this.currentRef = t.currentSectionId === null ? 0 : ref32(t.currentSectionId);
    if (t.coverage && t.coverage.toM > t.coverage.fromM) this.addCoverage(ref32(t.coverage.sectionId), t.coverage.fromM, t.coverage.toM);
    const now = this.link.clock.now();
    if (this.currentRef !== this.sentRef || (this.pending.size > 0 && now - this.lastFlushMs >= this.flushMs)) this.flush(now);
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
    let sent = false;
    for (const [sectionRef, list] of this.pending) {
      for (const [fromM, toM] of list) {
        this.reliable(MSG.PROGRESS, encodeProgress({ currentRef: this.currentRef, coverage: { sectionRef, fromM, toM } }));
        sent = true;
      }
    }
    this.pending.clear();
    if (!sent) this.reliable(MSG.PROGRESS, encodeProgress({ currentRef: this.currentRef, coverage: null }));
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
        case MSG.RELEASE:
          return this.emit({ kind: 'release', stopId: stopIdForRef(decodeRef(body)) });
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
      // Anyone may stop (DESIGN.md, safety model): no check of the sender.
      if (event.forMe) this.emit({ kind: 'estop', stopId: stopIdForRef(event.frame.stopRef) });
      return;
    }
    if (event.kind !== 'heartbeat' || peer !== STATION_ADDRESS) return;
    const instance = event.frame.status;
    if (this.stationInstance !== undefined && instance !== this.stationInstance && this.hello) {
      // The station restarted: introduce ourselves again (a hello to a running station is harmless).
      this.reliable(MSG.HELLO, this.hello);
    }
    this.stationInstance = instance;
    this.emit({ kind: 'heartbeat', seq: event.frame.seq });
  }
}
