/**
 * The foundation's StationPort over the real fleet link (docs/fleet-protocol.md §6): commands
 * go reliable, e-stops as single broadcast frames, and the two telemetry frames plus the
 * reliable progress message are put back together into the `telemetry` message the station
 * consumes. String ids travel as 32-bit references and are mapped back here.
 */
import type { LonLat } from '../../shared/index.js';
import { ref32 } from './crc.js';
import { BodyDecodeError } from './byte-codec.js';
import { EstopRetry } from './estop-retry.js';
import {
  decodeHello,
  decodeProgress,
  encodeAssign,
  modeOf,
  stopIdForRef,
  stopRefOf,
  stateOf,
} from './fleet-codec.js';
import type { BroadcastEvent, FleetLinkNode } from './fleet-link-node.js';
import {
  STATION_ADDRESS,
  type CoverageSegment,
  type StationToTractor,
  type TractorToStation,
} from './fleet-messages.js';
import type { StationPort } from './fleet-port.js';
import type { TelemetryA, TelemetryB } from './link-frames.js';
import {
  decodeAlert,
  decodeModeReply,
  decodeReleaseRefused,
  encodeModeCommit,
  encodeModeRequest,
  encodeRelease,
  encodeSpeedLimit,
} from './safety-codec.js';
import { newCounters } from './port-counters.js';
import { ALL_TRACTORS, MSG } from './wire-format.js';

type Telemetry = Extract<TractorToStation, { kind: 'telemetry' }>;

interface TractorView {
  a: TelemetryA | undefined;
  b: TelemetryB | undefined;
  /** Its telemetry has been heard: worked intervals wait for that. */
  telemetryHeard: boolean;
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
  private readonly retry = new EstopRetry();
  private cancelRetry: (() => void) | undefined;
  private retryDueMs = Infinity;

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
        this.chase(ref, [to]);
        return;
      }
      case 'release':
        return this.reliable(
          to,
          MSG.RELEASE,
          encodeRelease({ stopRef: this.stopRef(message.stopId), auth: message.auth }),
        );
      case 'speed-limit':
        return this.reliable(to, MSG.SPEED_LIMIT, encodeSpeedLimit(message.maxMps));
      case 'mode-request':
        return this.reliable(
          to,
          MSG.MODE_REQUEST,
          encodeModeRequest(message.requestId, message.mode),
        );
      case 'mode-commit':
        return this.reliable(
          to,
          MSG.MODE_COMMIT,
          encodeModeCommit(message.requestId, message.commit),
        );
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
      const ref = this.stopRef(message.stopId);
      this.link.sendEstop(ALL_TRACTORS, ref);
      this.chase(ref, this.tractorsInReach());
      return;
    }
    if (message.kind === 'heartbeat') return;
    for (const id of this.link.knownPeers()) this.send(id, message);
  }

  withdrawStarts(to: string): void {
    this.link.withdrawReliable(to, MSG.START);
  }

  onMessage(handler: (from: string, message: TractorToStation) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  close(): void {
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    for (const off of this.offs.splice(0)) off();
  }

  /** Paired tractors the link can reach now: they are the ones that must confirm a broadcast stop. */
  private tractorsInReach(): string[] {
    return this.link
      .knownPeers()
      .filter(
        (id) =>
          id !== STATION_ADDRESS &&
          !id.startsWith('name:') &&
          this.link.liveness.state(id) !== 'lost' &&
          this.link.addressOf(id) !== undefined,
      );
  }

  /** Fast targeted retries until these tractors confirm (estop-retry.ts). */
  private chase(ref: number, peers: readonly string[]): void {
    this.retry.sent(ref, peers, this.link.clock.now());
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const due = this.retry.nextDeadlineMs() ?? Infinity;
    if (due === this.retryDueMs) return;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.retryDueMs = due;
    if (due === Infinity) return;
    const clock = this.link.clock;
    this.cancelRetry = clock.setTimer(due - clock.now(), () => {
      this.cancelRetry = undefined;
      this.retryDueMs = Infinity;
      for (const { peer, ref } of this.retry.due(clock.now())) {
        const address = this.link.addressOf(peer);
        if (address !== undefined) this.link.sendEstop(address, ref);
      }
      this.scheduleRetry();
    });
  }

  private stopRef(stopId: string): number {
    const ref = stopRefOf(stopId);
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
      v = {
        a: undefined,
        b: undefined,
        telemetryHeard: false,
        currentSectionId: null,
        pendingCoverage: [],
      };
      this.views.set(peer, v);
    }
    return v;
  }

  private onReliable(peer: string, type: number, body: Uint8Array): void {
    try {
      if (type === MSG.HELLO) return this.emit(peer, { kind: 'hello', ...decodeHello(body) });
      if (type === MSG.MODE_REPLY)
        return this.emit(peer, { kind: 'mode-reply', ...decodeModeReply(body) });
      if (type === MSG.ALERT) return this.emit(peer, { kind: 'alert', ...decodeAlert(body) });
      if (type === MSG.RELEASE_REFUSED) {
        const refused = decodeReleaseRefused(body);
        const stopId = this.stopIds.get(refused.stopRef);
        if (stopId === undefined) {
          this.counters.unknownRefs++;
          return;
        }
        return this.emit(peer, { kind: 'release-refused', stopId, reason: refused.reason });
      }
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

  /**
   * Worked intervals go on as progress once the machine's telemetry has been heard, never as a
   * repeat of its last telemetry: intervals forwarded after a silence arrive after newer state,
   * and an old "stopped on its own" repeated would read as a new stop.
   */
  private flushCoverage(peer: string, v: TractorView): void {
    if (!v.telemetryHeard) return;
    for (const coverage of v.pendingCoverage.splice(0))
      this.emit(peer, { kind: 'progress', currentSectionId: v.currentSectionId, coverage });
  }

  private onBroadcast(peer: string, event: BroadcastEvent): void {
    if (peer === STATION_ADDRESS) return;
    if (event.kind === 'stop-confirm') {
      this.retry.confirmed(event.frame.stopRef, peer);
      this.scheduleRetry();
      // A stop this process never sent (from before a restart) keeps the name the wire gives it.
      const stopId = this.stopIds.get(event.frame.stopRef);
      if (stopId === undefined) this.counters.unknownRefs++;
      this.emit(peer, {
        kind: 'stop-confirm',
        stopId: stopId ?? stopIdForRef(event.frame.stopRef),
      });
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
    let telemetry: Telemetry;
    try {
      const position: LonLat = [b.lonDeg, a.latDeg];
      telemetry = {
        kind: 'telemetry',
        position,
        headingDeg: a.headingDeg,
        speedMps: b.speedMps,
        state: stateOf(b.state),
        mode: modeOf(b.mode),
        currentSectionId: v.currentSectionId,
        coverage: null,
        ...(b.ownStop === undefined ? {} : { ownStop: b.ownStop }),
      };
    } catch (error) {
      if (!(error instanceof BodyDecodeError)) throw error;
      this.counters.badBodies++;
      return;
    }
    v.telemetryHeard = true;
    this.emit(peer, telemetry);
    this.flushCoverage(peer, v);
  }
}
