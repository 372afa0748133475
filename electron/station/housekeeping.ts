/**
 * The station's housekeeping turn, every HOUSEKEEPING_MS: each tractor's silence judged (never
 * just after a stall of the station's own process, whose queued frames are still to come), mode
 * handshakes timed, the zone guard at the telemetry rate, the operator's moves sent, a live
 * rebalance considered, and the job finished once every machine in the plan has done its work.
 */
import { StallGuard, type Clock } from '../time/index.js';
import type { AlertList } from './alert-list.js';
import { everyMachineDone } from './job-finish.js';
import type { JobSession } from './job-session.js';
import type { LiveRebalance } from './live-rebalance.js';
import type { ModeControl } from './mode-control.js';
import type { TractorContact } from './tractor-contact.js';
import type { TractorLinkStatus, TractorRecord } from './tractor-record.js';
import type { WorkDispatch } from './work-dispatch.js';
import type { ZoneControl } from './zone-control.js';

/** Station housekeeping period: comm-loss checks and stop repeats. */
export const HOUSEKEEPING_MS = 25;
/** The zone guard runs every this many housekeeping ticks (25 ms × 4 = 10 Hz, the telemetry rate). */
const ZONE_GUARD_EVERY = 4;

export interface HousekeepingParts {
  clock: Clock;
  tractors: ReadonlyMap<string, TractorRecord>;
  /** Link quality per tractor as the fleet link measures it (none for in-process links). */
  linkStatus(): readonly TractorLinkStatus[];
  contact: TractorContact;
  modes: ModeControl;
  zones: ZoneControl;
  dispatch: WorkDispatch;
  rebalance: LiveRebalance;
  session: JobSession;
  alerts: AlertList;
  /** Writes the job record now (the job finished). */
  persist(): void;
}

export class Housekeeping {
  private ticks = 0;
  /** A station process that stalled has not heard the frames queued meanwhile: no COMM LOST yet. */
  private readonly stall = new StallGuard();
  private dueMs = 0;

  constructor(private readonly p: HousekeepingParts) {}

  tick(): void {
    const now = this.p.clock.now();
    if (this.dueMs > 0) this.stall.ran(this.dueMs, now);
    this.dueMs = now + HOUSEKEEPING_MS;
    this.p.contact.check(now, this.stall.judging(now), this.p.linkStatus());
    this.p.modes.tick(now);
    if (++this.ticks % ZONE_GUARD_EVERY === 0) this.p.zones.guard(now);
    this.p.dispatch.sendMoves();
    this.p.rebalance.tick(now);
    this.finishIfDone();
  }

  /** The job is finished when every tractor still in the plan has done its work (job-finish.ts). */
  private finishIfDone(): void {
    const { job, work } = this.p.session;
    if (job.state !== 'running' || !work.allocated) return;
    const working = [...this.p.tractors.values()].filter((t) => !t.replannedOut);
    if (!everyMachineDone(working, work)) return;
    this.p.session.setState('finished');
    this.p.alerts.raise(
      'info',
      'station',
      'Job finished: every tractor has completed its sections',
    );
    this.p.persist();
  }
}
