/**
 * The station's side of each tractor's messages and silences: a tractor joins with its hello,
 * its telemetry updates its record and the job's coverage, its replies go to the stop and mode
 * controls, and its silence is judged — COMM LOST, its work replanned out after 10 s, and
 * replanned back in once it can work again.
 */
import { doneSince } from './job-finish.js';
import { capacityProblem } from '../../shared/index.js';
import type { TractorToStation } from '../link/index.js';
import type { JobSession } from './job-session.js';
import type { ModeControl } from './mode-control.js';
import type { WorkDispatch } from './work-dispatch.js';
import type { JobHooks, StationServices } from './station-services.js';
import type { StopControl } from './stop-control.js';
import {
  COMM_LOST_MS,
  JOINING_REPORT_MS,
  newTractorRecord,
  silenceOf,
  type TractorLinkStatus,
  type TractorRecord,
} from './tractor-record.js';

/**
 * A tractor heard again is replanned in only after this long back in contact: its state comes
 * at 10 Hz, and the first message heard may carry its state from before the cut (a progress
 * report queued then goes out with the last telemetry the station had).
 */
const REJOIN_SETTLE_MS = 1_000;
/** A tractor silent this long has its remaining work moved to the others (COMM LOST shows within 0.5 s). */
const REPLAN_AFTER_LOST_MS = 10_000;

export interface TractorContactParts {
  /** The fleet as the station knows it; tractors are added here when they say hello. */
  tractors: Map<string, TractorRecord>;
  stops: StopControl;
  modes: ModeControl;
  session: JobSession;
  dispatch: WorkDispatch;
}

export interface TractorContactHooks extends Pick<JobHooks, 'changed' | 'log'> {
  /** A telemetry report was applied to the tractor's record (for the recording). */
  telemetry(tractor: TractorRecord): void;
}

export class TractorContact {
  private readonly tractors: Map<string, TractorRecord>;
  private readonly stops: StopControl;
  private readonly modes: ModeControl;
  private readonly session: JobSession;
  private readonly dispatch: WorkDispatch;
  private readonly tractorWaiters: { count: number; resolve: () => void }[] = [];
  /** When each tractor was last heard again after COMM LOST (station clock). */
  private readonly backInContactMs = new Map<string, number>();
  /** Machines whose hello was refused (their alert is raised once). */
  private readonly refusedHellos = new Set<string>();

  constructor(
    private readonly s: StationServices,
    parts: TractorContactParts,
    private readonly hooks: TractorContactHooks,
  ) {
    this.tractors = parts.tractors;
    this.stops = parts.stops;
    this.modes = parts.modes;
    this.session = parts.session;
    this.dispatch = parts.dispatch;
  }

  /** Resolves once at least `count` tractors have introduced themselves. */
  whenTractors(count: number): Promise<void> {
    if (this.tractors.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.tractorWaiters.push({ count, resolve }));
  }

  handle(from: string, message: TractorToStation): void {
    const now = this.s.clock.now();
    let tractor = this.tractors.get(from);
    if (message.kind === 'hello') {
      // The CAN codec refuses a bad capacity; a machine on another transport is judged here.
      const problem = message.capacity ? capacityProblem(message.capacity) : null;
      if (problem) {
        // Raised once: the machine repeats its hello until it is taken in.
        if (!this.refusedHellos.has(from))
          this.s.raise('warning', from, `${message.name}: hello refused: ${problem}`);
        this.refusedHellos.add(from);
        return;
      }
      if (!tractor) {
        tractor = newTractorRecord(from, message, now);
        this.tractors.set(from, tractor);
        this.hooks.log(`station: tractor ${from} (${message.name}) joined`);
        this.joined(tractor);
      }
      tractor.lastHeardMs = now;
      return;
    }
    if (!tractor) {
      // A stop's confirmation counts before the machine has introduced itself (after a station
      // restart it may be heard before its hello): left unconfirmed, the stop would be repeated
      // at the fast rate for as long as it lasts. Anything else waits for the hello.
      if (message.kind === 'stop-confirm') this.stops.confirmed(from, message.stopId);
      return;
    }
    // A machine back from a silence has not had the chance to name the stops holding it.
    if (now - tractor.lastHeardMs > COMM_LOST_MS) tractor.unexplainedStopSinceMs = null;
    tractor.lastHeardMs = now;
    if (tractor.commLost) {
      tractor.commLost = false;
      this.stops.heard(from);
      this.s.audit({
        kind: 'comm-restored',
        actor: 'station',
        subject: from,
        detail: 'heard again',
      });
      this.s.raise('info', from, `${tractor.name} link restored`);
      this.backInContactMs.set(from, now);
    }
    if (message.kind === 'stop-confirm') {
      this.stops.confirmed(from, message.stopId);
      return;
    }
    if (message.kind === 'progress') {
      tractor.currentSectionId = this.sectionOf(message.currentSectionId);
      if (this.session.report(from, message.coverage)) this.hooks.changed();
      return;
    }
    if (message.kind === 'mode-reply') {
      this.modes.reply(from, message.requestId, message.accepted, message.reason);
      return;
    }
    if (message.kind === 'release-refused') {
      this.stops.refused(tractor, message.stopId, message.reason);
      return;
    }
    if (message.kind === 'alert') {
      this.s.raise(message.severity, from, `${tractor.name}: ${message.message}`);
      return;
    }
    tractor.firstReportMs ??= now;
    tractor.position = message.position;
    const at = {
      position: message.position,
      working: message.state === 'working',
      speedMps: message.speedMps,
    };
    const filled = this.session.work.observeFill(from, at);
    if (this.session.observeRefill(from, at)) this.hooks.changed();
    tractor.headingDeg = message.headingDeg;
    tractor.speedMps = message.speedMps;
    tractor.doneSinceMs = doneSince(tractor, message.state, now);
    tractor.lastReportMs = now;
    tractor.reportedState = message.state;
    tractor.ownStop = message.ownStop ?? null;
    this.stops.reported(tractor);
    this.replanInIfReady(tractor);
    if (this.stops.isHeld(from)) tractor.startWhileStoppedMs = null;
    else this.dispatch.repeatOvertakenStart(tractor);
    tractor.mode = message.mode;
    tractor.currentSectionId = this.sectionOf(message.currentSectionId);
    this.hooks.telemetry(tractor);
    if (message.coverage && this.session.report(from, message.coverage)) this.hooks.changed();
    if (filled) this.dispatch.restaggerRefills(tractor, 'filled');
    else if (this.session.work.leftForRefill(from, at.working))
      this.dispatch.restaggerRefills(tractor, 'left');
  }

  /**
   * Judges every tractor's silence: COMM LOST past COMM_LOST_MS (only while `judging`: a station
   * that stalled has not heard the frames queued meanwhile), and its remaining work moved to the
   * others once it has been silent for REPLAN_AFTER_LOST_MS.
   */
  check(now: number, judging: boolean, links: readonly TractorLinkStatus[]): void {
    for (const tractor of this.tractors.values()) {
      if (judging && !tractor.commLost && silentTooLong(tractor, now, links)) {
        tractor.commLost = true;
        this.stops.lost(tractor.id);
        const joining = tractor.firstReportMs === null;
        this.s.audit({
          kind: 'comm-lost',
          actor: 'station',
          subject: tractor.id,
          detail: joining
            ? `no report ${now - tractor.joinedAtMs} ms after joining`
            : `silent for ${now - tractor.lastHeardMs} ms`,
        });
        this.s.raise(
          'critical',
          tractor.id,
          joining
            ? `${tractor.name}: COMM LOST (joined, never reported)`
            : `${tractor.name}: COMM LOST`,
        );
      }
      if (
        tractor.commLost &&
        !tractor.replannedOut &&
        now - tractor.lastHeardMs > REPLAN_AFTER_LOST_MS &&
        this.dispatch.canReplan()
      )
        this.dispatch.replanOut(tractor);
    }
  }

  /**
   * A tractor whose work was moved to the others while it was out of contact gets work again
   * once it can do it: heard, not held by a stop and not reporting itself stopped. A machine
   * back from a radio cut has stopped itself; replanning it in at once would take sections from
   * every other tractor (hundreds of claims, an assignment list to each) for a machine that
   * cannot move until the operator releases it — and fill the bus while it catches up.
   */
  /** The section a machine names by one of its swaths, if any. */
  private sectionOf(swathId: string | null): string | null {
    return swathId === null ? null : this.session.work.sectionOfSwath(swathId);
  }

  private replanInIfReady(tractor: TractorRecord): void {
    if (!tractor.replannedOut || tractor.commLost) return;
    const backMs = this.s.clock.now() - (this.backInContactMs.get(tractor.id) ?? -Infinity);
    if (backMs < REJOIN_SETTLE_MS) return;
    if (tractor.reportedState === 'stopped' || this.stops.isHeld(tractor.id)) return;
    this.dispatch.replanIn(tractor);
  }

  private joined(tractor: TractorRecord): void {
    this.stops.joined(tractor.id);
    this.dispatch.tractorJoined(tractor);
    for (const waiter of [...this.tractorWaiters]) {
      if (this.tractors.size >= waiter.count) {
        this.tractorWaiters.splice(this.tractorWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}

/** COMM LOST: silent past COMM_LOST_MS once it has reported; a joining machine gets longer. */
function silentTooLong(
  tractor: TractorRecord,
  now: number,
  links: readonly TractorLinkStatus[],
): boolean {
  if (tractor.firstReportMs === null) return now - tractor.joinedAtMs > JOINING_REPORT_MS;
  return silenceOf(tractor, now, links) > COMM_LOST_MS;
}
