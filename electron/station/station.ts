/**
 * The station core: wires its parts (the job, work dispatch, tractor contact, stops, modes,
 * zones, alerts, persistence), applies operator commands, runs housekeeping and publishes
 * snapshots. It talks to tractors only through a StationPort and to time only
 * through a Clock, so the same code runs in the desktop app, the headless server and
 * deterministic tests.
 */
import {
  commandOk,
  type AlertSnapshot,
  type LonLat,
  type Command,
  type CommandResult,
  type JobState,
  type Severity,
  type StationEvent,
  type StationSnapshot,
} from '../../shared/index.js';
import type { AllocationPlan, RefillPlan } from '../fleet/index.js';
import { SafetyCore, type SafetyCorePort } from '../safety-core/index.js';
import type { JobDoc } from '../sync/index.js';
import type { Clock } from '../time/index.js';
import { AlertList } from './alert-list.js';
import { describeAddressChange, type CanAddressChange } from './can-address.js';
import { FaultReporter } from './fault-reporter.js';
import { Housekeeping, HOUSEKEEPING_MS } from './housekeeping.js';
import { jobSummaries } from './job-history-commands.js';
import { JobPersistence } from './job-persistence.js';
import { JobSession } from './job-session.js';
import { recoverAtStart } from './start-recovery.js';
import { ModeControl } from './mode-control.js';
import { buildSnapshot } from './snapshot-builder.js';
import { boundaryEdit, StationCommands } from './station-commands.js';
import { StationFeed } from './station-feed.js';
import type { StationOptions } from './station-options.js';
import type { JobHooks, StationServices } from './station-services.js';
import { StopControl } from './stop-control.js';
import { TractorContact } from './tractor-contact.js';
import type { TractorRecord } from './tractor-record.js';
import { WorkDispatch } from './work-dispatch.js';
import { LiveRebalance } from './live-rebalance.js';
import { ZoneControl } from './zone-control.js';

export type { StartupAlert, StationOptions } from './station-options.js';

/** Snapshots are pushed to UIs at most this often. */
const PUBLISH_MS = 200;
/** The job record is written at most this often while it changes. */
const PERSIST_MS = 2_000;
/**
 * Coverage heard goes to the shared document's runs this often (per tractor, joined into runs
 * there, so this costs no log items); with the runs' write-ahead (WRITE_AHEAD_MS, 500 ms) a
 * progress report is on disk within 0.75 s, inside the 1 s of reported work a crash may cost.
 */
const COVERAGE_FLUSH_MS = 250;

export class Station {
  private readonly clock: Clock;
  private readonly core: SafetyCorePort;
  private readonly session: JobSession;
  private readonly dispatch: WorkDispatch;
  private readonly stops: StopControl;
  private readonly modes: ModeControl;
  private readonly contact: TractorContact;
  private readonly commands: StationCommands;
  private readonly housekeeping: Housekeeping;
  private readonly tractors = new Map<string, TractorRecord>();
  private readonly startedAtMs: number;
  private readonly cancelTimers: (() => void)[] = [];
  private readonly log: (line: string) => void;
  private readonly alerts: AlertList;
  private readonly keeper: JobPersistence;
  private readonly feed: StationFeed;
  private readonly faults: FaultReporter;
  private closed = false;
  /** The job was read back from the data folder at start (it never starts by itself). */
  readonly jobReadBack: boolean;

  constructor(private readonly options: StationOptions) {
    this.clock = options.clock;
    this.core =
      'core' in options
        ? options.core
        : new SafetyCore({ clock: options.clock, port: options.port, fleetKey: options.fleetKey });
    this.log = options.log ?? (() => undefined);
    this.faults = new FaultReporter({
      clock: this.clock,
      log: (line) => this.log(line),
      raise: (message) => this.alerts.raise('critical', 'station', message),
    });
    this.feed = new StationFeed({
      clock: this.clock,
      snapshot: () => this.snapshot(),
      jobId: () => this.session.job.id,
      nameOf: (id) => this.nameOf(id),
      tractorIds: () => this.tractors.keys(),
      faults: this.faults,
      audit: options.audit,
      recorder: options.recorder,
    });
    this.alerts = new AlertList({
      clock: this.clock,
      audit: (fields) => this.feed.audit(fields),
      notice: (severity, message) => this.feed.notice(severity, message),
      mirror: () => this.session.mirror,
      changed: () => this.keeper.changed(),
    });
    this.stops = new StopControl(
      this.services(),
      {
        // The stop frame is out before the record is written: a disk that fails then must not
        // fail the stop (the fault is alerted instead).
        persist: () => this.faults.run('job record', () => this.keeper.persist()),
        recordStop: (id, scope, reason) => this.session.mirror?.recordStop(id, scope, reason),
        recordRelease: (id) => this.session.mirror?.releaseStop(id),
        fleetStopChanged: (active) => {
          if (active) this.session.setState('stopped');
          else if (this.session.job.state === 'stopped') this.session.setState('paused');
        },
        log: (line) => this.log(line),
      },
      this.core,
    );
    const jobHooks: JobHooks = {
      changed: () => this.keeper.changed(),
      persist: () => this.faults.run('job record', () => this.keeper.persist()),
      log: this.log,
      fault: (source, err) => this.faults.report(source, err),
    };
    this.session = new JobSession(this.services(), this.stops, options, jobHooks);
    this.keeper = new JobPersistence({
      clock: this.clock,
      store: options.store,
      history: options.history,
      session: this.session,
      stops: this.stops,
      alerts: this.alerts,
      auditAnchor: () => options.audit?.anchor() ?? null,
      log: this.log,
    });
    this.dispatch = new WorkDispatch(this.services(), this.stops, this.session, jobHooks);
    const rebalance = new LiveRebalance({
      tractors: this.tractors,
      work: () => this.session.work,
      canReplan: () => this.dispatch.canReplan(),
      isHeld: (id) => this.stops.isHeld(id),
      apply: (move) => this.dispatch.rebalance(move),
    });
    this.modes = new ModeControl(this.services());
    const zones = new ZoneControl(this.services(), this.stops, () => this.session.zones);
    this.contact = new TractorContact(
      this.services(),
      {
        tractors: this.tractors,
        stops: this.stops,
        modes: this.modes,
        session: this.session,
        dispatch: this.dispatch,
      },
      {
        ...jobHooks,
        telemetry: (tractor) => this.options.recorder?.telemetry(this.session.job.id, tractor),
      },
    );
    this.commands = new StationCommands({
      clock: this.clock,
      core: this.core,
      tractors: this.tractors,
      session: this.session,
      dispatch: this.dispatch,
      stops: this.stops,
      modes: this.modes,
      zones,
      alerts: this.alerts,
      history: options.history,
      closed: () => this.closed,
      publish: () => this.feed.publish(),
      log: (line) => this.log(line),
    });
    this.housekeeping = new Housekeeping({
      clock: this.clock,
      tractors: this.tractors,
      linkStatus: () => this.options.linkStatus?.() ?? [],
      contact: this.contact,
      modes: this.modes,
      zones,
      dispatch: this.dispatch,
      rebalance,
      session: this.session,
      alerts: this.alerts,
      persist: () => this.keeper.persist(),
    });
    this.startedAtMs = this.clock.now();
    const restored = this.keeper.restore(options.syncDir !== undefined);
    this.jobReadBack = restored.record !== null || restored.doubts.length > 0;
    recoverAtStart({
      restored,
      open: () => this.session.openDocument(),
      session: this.session,
      stops: this.stops,
      alerts: this.alerts,
      audit: options.audit,
      history: options.history,
      startupAlerts: options.startupAlerts ?? [],
      nowMs: this.clock.now(),
      log: this.log,
    });
    // Written at once: a record on disk from the first moment, beside the history's line.
    this.keeper.persist();
    this.stops.syncCore();
    this.core.listen({
      message: (from, message) => this.contact.handle(from, message),
      confirmed: (stopId, tractorId, latencyMs) =>
        this.stops.coreConfirmed(stopId, tractorId, latencyMs),
      fastStop: (order) => this.stops.coreStopped(order),
      mainThreadSilent: (silentMs, stopId) => this.stops.coreHeldForSilence(silentMs, stopId),
    });
    if (options.canAddress)
      this.cancelTimers.push(options.canAddress.onChange((c) => this.canAddressChanged(c)));
    this.every('housekeeping', HOUSEKEEPING_MS, () => this.housekeeping.tick());
    this.every('snapshot publishing', PUBLISH_MS, () => this.feed.publish());
    if (options.store) this.every('job record', PERSIST_MS, () => this.keeper.persistIfDirty());
    if (options.syncDir)
      this.every('coverage log', COVERAGE_FLUSH_MS, () => this.session.flushCoverage());
  }

  get jobId(): string {
    return this.session.job.id;
  }

  snapshot(): StationSnapshot {
    const { job, zones } = this.session;
    return buildSnapshot({
      nowMs: this.clock.now(),
      work: this.session.work,
      tractors: [...this.tractors.values()],
      stops: this.stops.active(),
      alerts: this.alerts.shown(),
      job: { id: job.id, name: job.name, state: job.state },
      linkStatus: this.options.linkStatus?.() ?? [],
      holds: zones.holds(),
      zones: zones.snapshot(),
      modeChange: this.modes.snapshot(),
      jobs: jobSummaries(this.options.history, job.id),
      events: this.feed.events(),
      station: {
        name: this.options.name,
        basemap: this.options.basemap ?? null,
        softwareVersion: this.options.softwareVersion,
        uptimeS: (this.clock.now() - this.startedAtMs) / 1000,
        seq: this.feed.seq,
        ...(this.options.canAddress ? { canAddress: this.options.canAddress.current() } : {}),
      },
    });
  }

  subscribe(listener: (event: StationEvent) => void): () => void {
    return this.feed.subscribe(listener);
  }

  jobState(): JobState {
    return this.session.job.state;
  }

  /** The plan the fleet works to (who works what, planned makespan, lower bound); null before one. */
  allocation(): AllocationPlan | null {
    return this.session.work.allocation();
  }

  /** The refill trips in that plan (none without a refill point or a machine that runs out). */
  refillPlan(): RefillPlan {
    return this.session.work.refills();
  }

  /** Stops in force (fleet or per tractor). */
  activeStopCount(): number {
    return this.stops.active().length;
  }

  /** Keep-out zones as WGS84 rings (the field's holes and the operator's zones). */
  keepOutRings(): LonLat[][] {
    return this.session.zones.snapshot().map((z) => z.ring);
  }

  tractorCount(): number {
    return this.tractors.size;
  }

  /** Resolves once at least `count` tractors have introduced themselves. */
  whenTractors(count: number): Promise<void> {
    return this.contact.whenTractors(count);
  }

  /**
   * Any command, including those that take time: opening a field file, and a boundary edit,
   * laid out in the planner's thread (`command` lays one out on this thread).
   */
  async execute(command: Command, actor = 'operator'): Promise<CommandResult> {
    if (command.type === 'editBoundary' && !this.closed) {
      const result = await this.dispatch.editBoundaryInThread(
        boundaryEdit(command),
        actor,
        () => !this.closed,
      );
      this.feed.command(command, actor, result);
      return result;
    }
    if (command.type !== 'openField') return this.command(command, actor);
    const result = await this.session.openField(
      command.fileName,
      Buffer.from(command.dataBase64, 'base64'),
      actor,
      command.confirmFar === true,
    );
    this.feed.command(command, actor, result);
    return result;
  }

  /**
   * STOP ALL by the fast path: the safety core stops the fleet at once (in its own process, before
   * anything else the main thread has to do), then the station records the stop as its own.
   */
  fastStop(actor = 'operator'): CommandResult {
    if (this.closed) return this.command({ type: 'fleetStop' }, actor);
    const stopId = this.core.fastStop(actor);
    const result = commandOk({ stopId });
    // In the recording and the event log as any STOP ALL is, with who gave it.
    this.feed.command({ type: 'fleetStop' }, actor, result);
    return result;
  }

  command(command: Command, actor = 'operator'): CommandResult {
    const result = this.commands.applyOrRefuse(command, actor);
    this.feed.command(command, actor, result);
    return result;
  }

  /**
   * A line in the event log for something the station's composition did outside a command (an
   * export downloaded from a page, for example).
   */
  noteEvent(kind: string, severity: Severity, actor: string, text: string): void {
    this.feed.note(kind, severity, actor, text);
    this.feed.publish();
  }

  /** An alert from outside the station's parts (a recording found damaged, say). */
  raiseAlert(severity: AlertSnapshot['severity'], source: string, message: string): void {
    if (!this.closed) this.alerts.raise(severity, source, message);
  }

  /** Writes the job now: the coverage heard, the job record and its history line. */
  save(): void {
    if (this.closed) return;
    this.session.flushCoverage();
    this.keeper.persist();
  }

  /** Stops timers and writes the job record; the station accepts no more commands. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cancel of this.cancelTimers) cancel();
    this.session.closeDocument();
    this.core.close();
    this.options.audit?.close();
  }

  /**
   * An error nobody else caught (the process's last line of defence in `headland serve`):
   * logged and raised as an alert; the station keeps running.
   */
  reportFault(source: string, err: unknown): void {
    this.faults.report(source, err);
  }

  /** The job's shared document, when the station keeps one. */
  jobDocument(): JobDoc | null {
    return this.session.mirror?.job ?? null;
  }

  /** Every change of the station's own CAN address is an event (Events tab, audit log). */
  private canAddressChanged(change: CanAddressChange): void {
    const event = describeAddressChange(change);
    this.log(`station: ${event.message}`);
    this.alerts.raise(event.severity, 'can', event.message, event.note);
    this.feed.publish();
  }

  /** The narrow view of the station its parts work through. */
  private services(): StationServices {
    return {
      clock: this.clock,
      port: this.core,
      tractors: this.tractors,
      audit: (fields) => this.feed.audit(fields),
      raise: (severity, source, message) => this.alerts.raise(severity, source, message),
      notice: (severity, message) => this.feed.notice(severity, message),
      publish: () => this.feed.publish(),
      nameOf: (id) => this.nameOf(id),
    };
  }

  private nameOf(tractorId: string): string {
    return this.tractors.get(tractorId)?.name ?? tractorId;
  }

  /**
   * Runs `fn` every `periodMs`. A run that throws is reported (logged, alerted) and the next
   * run comes as planned: housekeeping, heartbeats' supervision and stops go on.
   */
  private every(source: string, periodMs: number, fn: () => void): void {
    let cancel = (): void => undefined;
    const loop = (): void => {
      if (this.closed) return;
      this.faults.run(source, fn);
      cancel = this.clock.setTimer(periodMs, loop);
    };
    cancel = this.clock.setTimer(periodMs, loop);
    this.cancelTimers.push(() => cancel());
  }
}
