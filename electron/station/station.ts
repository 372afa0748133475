/**
 * The station core: knows the fleet, the job and its sections, applies operator commands,
 * coordinates stops, and publishes snapshots. It talks to tractors only through a StationPort
 * and to time only through a Clock, so the same code runs in the desktop app, the headless
 * server and deterministic tests.
 */
import {
  commandFailed,
  commandOk,
  type AlertSnapshot,
  type Basemap,
  type LonLat,
  type Command,
  type CommandResult,
  type JobState,
  type StationEvent,
  type StationSnapshot,
} from '../../shared/index.js';
import type { Operation, PlanOptions, ValidField } from '../fleet/index.js';
import type { StationPort, TractorToStation } from '../link/index.js';
import type { JobHistory, JobStore, StationRecorder } from '../records/index.js';
import type { AuditFields, AuditLog, FleetKey } from '../safety/index.js';
import { ModeControl } from './mode-control.js';
import type { StationServices } from './station-services.js';
import { ZoneSupervisor } from './zone-supervisor.js';
import { StallGuard, type Clock } from '../time/index.js';
import { buildSnapshot } from './snapshot-builder.js';
import { StopControl } from './stop-control.js';
import {
  deleteFromHistory,
  historyLine,
  jobSummaries,
  undeleteFromHistory,
} from './job-history-commands.js';
import {
  COMM_LOST_MS,
  silenceOf,
  capabilityOf,
  newTractorRecord,
  type TractorLinkStatus,
  type TractorRecord,
} from './tractor-record.js';
import type { CoverageSegment } from '../fleet/index.js';
import type { JobDoc } from '../sync/index.js';
import { FieldWork, readFieldFile } from './field-work.js';
import { JobMirror } from './job-mirror.js';
import { jobRecordOf, resumeFromRecord, type JobHeader } from './job-record-io.js';

/** Station housekeeping period: comm-loss checks and stop repeats. */
const HOUSEKEEPING_MS = 25;
/** Snapshots are pushed to UIs at most this often. */
const PUBLISH_MS = 200;
/** The job record is written at most this often while it changes. */
const PERSIST_MS = 2_000;

export interface StationOptions {
  clock: Clock;
  port: StationPort;
  field: ValidField;
  /** Planning options (swath width, headland passes, section length, work direction). */
  plan: Partial<PlanOptions>;
  operation?: Operation;
  name: string;
  softwareVersion: string;
  store?: JobStore;
  /**
   * Folder for the job's shared document (electron/sync): sections, assignments, coverage,
   * e-stops and alerts are written there and read back on restart.
   */
  syncDir?: string;
  /** Link quality per tractor as the fleet link measures it (absent for in-process links). */
  linkStatus?: () => readonly TractorLinkStatus[];
  /** Offline basemap the UI should draw, if any. */
  basemap?: Basemap | null;
  /** The key the fleet was paired with: releases are authenticated under it. */
  fleetKey: FleetKey;
  /** Tamper-evident log every safety event is written to (electron/safety/audit-log.ts). */
  audit?: AuditLog;
  /** The job history the operator browses and reopens jobs from (with a sync folder). */
  history?: JobHistory;
  /** The job's recording (electron/records): telemetry, commands and safety events. */
  recorder?: StationRecorder;
  log?: (line: string) => void;
}

export class Station {
  private readonly clock: Clock;
  private readonly port: StationPort;
  private work: FieldWork;
  private readonly stops: StopControl;
  private readonly tractors = new Map<string, TractorRecord>();
  private readonly listeners = new Set<(event: StationEvent) => void>();
  private readonly tractorWaiters: { count: number; resolve: () => void }[] = [];
  private readonly startedAtMs: number;
  private readonly cancelTimers: (() => void)[] = [];
  private readonly log: (line: string) => void;
  private job: JobHeader;
  private alerts: AlertSnapshot[] = [];
  private seq = 0;
  private dirty = false;
  private closed = false;
  private mirror: JobMirror | null = null;
  private readonly pendingCoverage = new Map<string, CoverageSegment[]>();
  /** When each tractor was last heard again after COMM LOST (station clock). */
  private readonly backInContactMs = new Map<string, number>();
  private readonly modes: ModeControl;
  private zones: ZoneSupervisor;
  private housekeepingTicks = 0;
  /** A station process that stalled has not heard the frames queued meanwhile: no COMM LOST yet. */
  private readonly stall = new StallGuard();
  private housekeepingDueMs = 0;

  constructor(private readonly options: StationOptions) {
    this.clock = options.clock;
    this.port = options.port;
    this.log = options.log ?? (() => undefined);
    this.work = new FieldWork({
      field: options.field,
      plan: options.plan,
      operation: options.operation ?? DEFAULT_OPERATION,
    });
    this.stops = new StopControl(
      this.services(),
      {
        persist: () => this.persist(),
        recordStop: (id, scope, reason) => this.mirror?.recordStop(id, scope, reason),
        recordRelease: (id) => this.mirror?.releaseStop(id),
        fleetStopChanged: (active) => {
          if (active) this.setJobState('stopped');
          else if (this.job.state === 'stopped') this.setJobState('paused');
        },
        log: (line) => this.log(line),
      },
      options.fleetKey,
    );
    this.zones = new ZoneSupervisor(options.field);
    this.modes = new ModeControl(this.services());
    this.startedAtMs = this.clock.now();
    this.job = {
      version: 2,
      id: `job-${this.clock.wallNow().toString(36)}`,
      name: `${options.field.geometry.name} — job`,
      createdAtWallMs: this.clock.wallNow(),
      state: 'planned',
      fieldName: options.field.geometry.name,
    };
    this.restore();
    if (options.syncDir) this.openMirror(options.syncDir);
    this.recordHistory();
    const unsubscribe = this.port.onMessage((from, message) => this.handle(from, message));
    this.cancelTimers.push(unsubscribe);
    this.every(HOUSEKEEPING_MS, () => this.housekeeping());
    this.every(PUBLISH_MS, () => this.publish());
    if (options.store) this.every(PERSIST_MS, () => this.persistIfDirty());
    if (options.syncDir) this.every(COVERAGE_FLUSH_MS, () => this.flushCoverage());
  }

  get jobId(): string {
    return this.job.id;
  }

  snapshot(): StationSnapshot {
    return buildSnapshot({
      nowMs: this.clock.now(),
      work: this.work,
      tractors: [...this.tractors.values()],
      stops: this.stops.active(),
      alerts: this.alerts,
      job: { id: this.job.id, name: this.job.name, state: this.job.state },
      linkStatus: this.options.linkStatus?.() ?? [],
      holds: this.zones.holds(),
      zones: this.zones.snapshot(),
      modeChange: this.modes.snapshot(),
      jobs: jobSummaries(this.options.history, this.job.id),
      station: {
        name: this.options.name,
        basemap: this.options.basemap ?? null,
        softwareVersion: this.options.softwareVersion,
        uptimeS: (this.clock.now() - this.startedAtMs) / 1000,
        seq: this.seq,
      },
    });
  }

  subscribe(listener: (event: StationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  jobState(): JobState {
    return this.job.state;
  }

  /** Stops in force (fleet or per tractor). */
  activeStopCount(): number {
    return this.stops.active().length;
  }

  /** Keep-out zones as WGS84 rings (the field's holes and the operator's zones). */
  keepOutRings(): LonLat[][] {
    return this.zones.snapshot().map((z) => z.ring);
  }

  tractorCount(): number {
    return this.tractors.size;
  }

  /** Resolves once at least `count` tractors have introduced themselves. */
  whenTractors(count: number): Promise<void> {
    if (this.tractors.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.tractorWaiters.push({ count, resolve }));
  }

  /** Any command, including those that take time (opening a field file). */
  async execute(command: Command, actor = 'operator'): Promise<CommandResult> {
    if (command.type !== 'openField') return this.command(command, actor);
    return this.openField(command.fileName, Buffer.from(command.dataBase64, 'base64'));
  }

  command(command: Command, actor = 'operator'): CommandResult {
    const result = this.apply(command, actor);
    this.options.recorder?.command(this.job.id, command, actor, result);
    return result;
  }

  private apply(command: Command, actor: string): CommandResult {
    if (this.closed) return commandFailed('unavailable', 'the station is shutting down');
    switch (command.type) {
      case 'openField':
        return commandFailed('invalid', 'opening a field takes time: use execute()');
      case 'replayControl':
        return commandFailed(
          'refused',
          'replay controls apply to a replay; this is a live station',
        );
      case 'fleetStop':
        return this.stops.issue('fleet', [...this.tractors.keys()], actor);
      case 'tractorStop':
        if (!this.tractors.has(command.tractorId))
          return commandFailed('not-found', `no tractor ${command.tractorId}`);
        return this.stops.issue(command.tractorId, [command.tractorId], actor);
      case 'release':
        return this.stops.release(command.stopId, command.tractorIds, actor);
      case 'startJob':
      case 'resumeJob': {
        const result = this.run();
        // The shared document names who ran the job (issue 10: every command names its giver).
        if (result.ok)
          this.mirror?.job.setJobMode(
            'running',
            `${command.type === 'startJob' ? 'started' : 'resumed'} by ${actor}`,
          );
        return result;
      }
      case 'resumeTractor':
        return this.resumeTractor(command.tractorId, actor);
      case 'pauseJob':
        this.setJobState('paused');
        this.port.broadcast({ kind: 'pause' });
        this.mirror?.job.setJobMode('paused', `paused by ${actor}`);
        return commandOk();
      case 'assignSection':
        return this.assign([command.sectionId], command.tractorId, actor);
      case 'assignSections':
        return this.assign(command.sectionIds, command.tractorId, actor);
      case 'setMode':
        return this.modes.request(command.mode, command.tractorIds, actor);
      case 'addZone': {
        const zone = this.zones.add(command.name, command.ring);
        this.audit({
          kind: 'zone-hold',
          actor,
          subject: zone.id,
          detail: `keep-out zone ${zone.name} added`,
        });
        this.publish();
        return commandOk();
      }
      case 'editBoundary':
        return this.editBoundary(command.rings, command.reason ?? 'boundary edited', actor);
      case 'reopenJob':
        return this.reopenJob(command.jobId, actor);
      case 'deleteJob':
        return this.deleteJob(command.jobId, actor);
      case 'undeleteJob':
        return this.undeleteJob(command.jobId);
      case 'removeZone': {
        const removed = this.zones.remove(command.zoneId);
        if (removed === 'not-found') return commandFailed('not-found', `no zone ${command.zoneId}`);
        if (removed === 'field-zone')
          return commandFailed('refused', `${command.zoneId} is an obstacle of the field itself`);
        this.audit({
          kind: 'zone-hold',
          actor,
          subject: command.zoneId,
          detail: 'keep-out zone removed',
        });
        this.publish();
        return commandOk();
      }
      case 'ackAlert': {
        const alert = this.alerts.find((a) => a.id === command.alertId);
        if (!alert) return commandFailed('not-found', `no alert ${command.alertId}`);
        alert.acknowledged = true;
        this.audit({ kind: 'ack', actor, subject: alert.id, detail: alert.message });
        this.mirror?.acknowledgeAlert(alert.id);
        this.dirty = true;
        return commandOk();
      }
    }
  }

  /** Stops timers and writes the job record; the station accepts no more commands. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cancel of this.cancelTimers) cancel();
    this.flushCoverage();
    this.persist();
    this.mirror?.close();
    this.options.audit?.close();
  }

  /** The job's shared document, when the station keeps one. */
  jobDocument(): JobDoc | null {
    return this.mirror?.job ?? null;
  }

  /**
   * Opens a field file as a new job (its first field). Only between jobs: while a job is under
   * way or a stop is active the current job stays, whatever the file holds.
   */
  private async openField(fileName: string, bytes: Uint8Array): Promise<CommandResult> {
    if (!this.betweenJobs()) {
      return commandFailed(
        'refused',
        `the job is ${this.job.state}: pause or finish it before opening another field`,
      );
    }
    if (this.stops.active().length > 0)
      return commandFailed('refused', 'a stop is active: release it first');
    const read = await readFieldFile(bytes);
    if (!read.ok) return commandFailed('invalid', `${fileName}: ${read.error}`);
    const { field, fieldsInFile } = read.value;
    if (!this.betweenJobs()) {
      return commandFailed('conflict', 'the job started while the file was read');
    }
    this.flushCoverage();
    this.persist(); // the job that gives way stays in the history as it was
    this.mirror?.close();
    this.mirror = null;
    this.work = new FieldWork({
      field,
      plan: this.options.plan,
      operation: this.options.operation ?? DEFAULT_OPERATION,
    });
    this.zones = new ZoneSupervisor(field);
    this.job = {
      version: 2,
      id: `job-${this.clock.wallNow().toString(36)}`,
      name: `${field.geometry.name} — job`,
      createdAtWallMs: this.clock.wallNow(),
      state: 'planned',
      fieldName: field.geometry.name,
    };
    if (this.options.syncDir) this.openMirror(this.options.syncDir);
    for (const id of this.tractors.keys()) this.port.send(id, { kind: 'assign', sections: [] });
    const more = fieldsInFile > 1 ? ` (first of ${fieldsInFile} fields in the file)` : '';
    this.notice(
      'info',
      `Opened ${field.geometry.name}${more}: ${this.work.sections().length} sections planned`,
    );
    this.log(`station: opened field ${field.geometry.name} from ${fileName} as job ${this.job.id}`);
    this.persist();
    this.publish();
    return commandOk();
  }

  /** No job under way: a new one may be opened. */
  /**
   * No job is under way: another may be opened. A paused job stays in the history and can be
   * reopened later (with a history; without one, only a planned or finished job gives way).
   */
  private betweenJobs(): boolean {
    const paused = this.job.state === 'paused' && this.options.history !== undefined;
    return this.job.state === 'planned' || this.job.state === 'finished' || paused;
  }

  private run(): CommandResult {
    if (this.stops.fleetStopActive()) {
      return commandFailed('refused', 'a fleet stop is active: release it first');
    }
    if (!this.work.allocated) {
      if (this.tractors.size === 0) return commandFailed('refused', 'no tractor has joined yet');
      try {
        this.allocate();
      } catch (err) {
        return commandFailed(
          'refused',
          `cannot plan the job: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    this.setJobState('running');
    for (const tractor of this.tractors.values()) this.sendStart(tractor);
    return commandOk();
  }

  /** The operator sets one paused tractor going again (after its release) while the job runs. */
  private resumeTractor(tractorId: string, actor: string): CommandResult {
    const tractor = this.tractors.get(tractorId);
    if (!tractor) return commandFailed('not-found', `no tractor ${tractorId}`);
    if (this.job.state !== 'running')
      return commandFailed('refused', `the job is ${this.job.state}: resume the job instead`);
    if (this.stops.isHeld(tractorId))
      return commandFailed('refused', `${tractor.name} is held by a stop: release it first`);
    if (tractor.commLost) return commandFailed('refused', `${tractor.name} is out of contact`);
    this.sendStart(tractor);
    this.log(`station: ${tractor.name} resumed by ${actor}`);
    return commandOk();
  }

  /** Moves sections to a tractor, all or none: an unknown id refuses the whole move. */
  private assign(sectionIds: readonly string[], tractorId: string, actor: string): CommandResult {
    const unknown = sectionIds.filter((id) => !this.work.hasSection(id));
    if (unknown.length > 0) return commandFailed('not-found', `no section ${unknown.join(', ')}`);
    const tractor = this.tractors.get(tractorId);
    if (!tractor) return commandFailed('not-found', `no tractor ${tractorId}`);
    if (tractor.commLost)
      return commandFailed('refused', `${tractor.name} is out of contact and cannot take work`);
    const touched = new Set<string>([tractorId]);
    const before = this.work.assignments();
    for (const sectionId of sectionIds) {
      const previous = this.work.holder(sectionId);
      if (previous) touched.add(previous);
    }
    this.work.reassign(sectionIds, tractorId);
    this.recordPlan(`moved to ${tractorId} by ${actor}`);
    // A reassignment can shift other sections too (the plan keeps every run contiguous).
    const after = this.work.assignments();
    for (const [sectionId, holder] of Object.entries(after)) {
      if (before[sectionId] !== holder) {
        touched.add(holder);
        const previous = before[sectionId];
        if (previous) touched.add(previous);
      }
    }
    for (const id of touched) {
      const tractor = this.tractors.get(id);
      if (!tractor) continue;
      this.sendAssignment(id);
      if (this.job.state === 'running') this.sendStart(tractor);
    }
    this.log(`station: sections ${sectionIds.join(',')} assigned to ${tractorId}`);
    this.dirty = true;
    this.publish();
    return commandOk();
  }

  /**
   * A live boundary edit: the field is replanned in the job's frame along its work direction,
   * everything worked so far carries over (it is never handed out again), and the remaining
   * work is reallocated to the tractors in contact. An invalid boundary changes nothing.
   */
  private editBoundary(rings: LonLat[][], reason: string, actor: string): CommandResult {
    if (this.job.state === 'finished')
      return commandFailed('refused', 'the job is finished: open a new field instead');
    const next = this.work.withBoundary(rings);
    if (!next.ok) return commandFailed('invalid', `the new boundary is not usable: ${next.error}`);
    const wasAllocated = this.work.allocated;
    this.flushCoverage();
    this.work = next.value;
    this.zones = this.zones.forField(next.value.field);
    this.mirror?.reviseField(rings, `${reason} (by ${actor})`);
    if (wasAllocated) this.allocate(`replanned: boundary edited by ${actor}`);
    this.sendAllAssignments();
    this.notice(
      'warning',
      `Boundary edited: ${this.work.sections().length} sections replanned, worked ground kept`,
    );
    this.log(`station: boundary revision ${next.value.revision} by ${actor} (${reason})`);
    this.dirty = true;
    this.persist();
    this.publish();
    return commandOk();
  }

  private allocate(reason = 'allocated at job start'): void {
    const tractors = [...this.tractors.values()]
      .filter((t) => !t.commLost && !t.replannedOut)
      .map(capabilityOf);
    this.work.allocate(tractors);
    this.recordPlan(reason);
    const plan = this.work.allocation();
    if (plan)
      this.log(
        `station: allocated ${this.work.sections().length} sections to ${tractors.length} tractors, makespan ${Math.round(plan.makespanS)} s (${plan.ratio.toFixed(3)} × lower bound)`,
      );
    for (const id of this.tractors.keys()) this.sendAssignment(id);
    this.dirty = true;
  }

  /** Sends a start to a tractor no stop holds. */
  private sendStart(tractor: TractorRecord): void {
    if (this.stops.isHeld(tractor.id)) return;
    this.port.send(tractor.id, { kind: 'start' });
    const now = this.clock.now();
    const releaseMayBeInFlight =
      tractor.reportedState === 'stopped' ||
      (tractor.releasedAtMs !== null && now - tractor.releasedAtMs < START_AFTER_RELEASE_MS);
    tractor.startWhileStoppedMs = releaseMayBeInFlight ? now : null;
  }

  /** Repeats a start the tractor ignored while its release was still on the way (see TractorRecord). */
  private repeatOvertakenStart(tractor: TractorRecord): void {
    const sentAt = tractor.startWhileStoppedMs;
    if (sentAt === null || tractor.reportedState === 'stopped') return;
    tractor.startWhileStoppedMs = null;
    const soon = this.clock.now() - sentAt <= START_AFTER_RELEASE_MS;
    if (soon && tractor.reportedState === 'paused' && this.job.state === 'running')
      this.port.send(tractor.id, { kind: 'start' });
  }

  private sendAssignment(tractorId: string): void {
    this.port.send(tractorId, { kind: 'assign', sections: this.work.assignedSwaths(tractorId) });
  }

  /** After a fleet change the plan may move sections between any tractors: tell them all. */
  private sendAllAssignments(): void {
    for (const id of this.tractors.keys()) this.sendAssignment(id);
    if (this.job.state === 'running') {
      // A tractor released back to 'paused' waits for the operator; a replan does not start it.
      for (const tractor of this.tractors.values())
        if (tractor.reportedState !== 'paused') this.sendStart(tractor);
    }
  }

  private handle(from: string, message: TractorToStation): void {
    const now = this.clock.now();
    let tractor = this.tractors.get(from);
    if (message.kind === 'hello') {
      if (!tractor) {
        tractor = newTractorRecord(from, message, now);
        this.tractors.set(from, tractor);
        this.log(`station: tractor ${from} (${message.name}) joined`);
        this.onJoin(from);
      }
      tractor.lastHeardMs = now;
      return;
    }
    if (!tractor) return; // not introduced yet: ignore until it says hello
    tractor.lastHeardMs = now;
    if (tractor.commLost) {
      tractor.commLost = false;
      this.stops.heard(from);
      this.audit({ kind: 'comm-restored', actor: 'station', subject: from, detail: 'heard again' });
      this.raise('info', from, `${tractor.name} link restored`);
      this.backInContactMs.set(from, now);
    }
    if (message.kind === 'stop-confirm') {
      this.stops.confirmed(from, message.stopId);
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
      this.raise(message.severity, from, `${tractor.name}: ${message.message}`);
      return;
    }
    tractor.position = message.position;
    tractor.headingDeg = message.headingDeg;
    tractor.speedMps = message.speedMps;
    tractor.reportedState = message.state;
    this.stops.reported(tractor);
    this.replanInIfReady(tractor);
    if (this.stops.isHeld(from)) tractor.startWhileStoppedMs = null;
    else this.repeatOvertakenStart(tractor);
    tractor.mode = message.mode;
    tractor.currentSectionId =
      message.currentSectionId === null ? null : this.work.sectionOfSwath(message.currentSectionId);
    this.options.recorder?.telemetry(this.job.id, tractor);
    if (message.coverage) {
      const section = this.work.report(
        from,
        message.coverage.sectionId,
        message.coverage.fromM,
        message.coverage.toM,
        this.clock.now(),
      );
      if (section) {
        this.dirty = true;
        if (this.mirror)
          this.pendingCoverage.set(from, [
            ...(this.pendingCoverage.get(from) ?? []),
            ...section.segments,
          ]);
      }
    }
  }

  /**
   * A tractor whose work was moved to the others while it was out of contact gets work again
   * once it can do it: heard, not held by a stop and not reporting itself stopped. A machine
   * back from a radio cut has stopped itself; replanning it in at once would take sections from
   * every other tractor (hundreds of claims, an assignment list to each) for a machine that
   * cannot move until the operator releases it — and fill the bus while it catches up.
   */
  private replanInIfReady(tractor: TractorRecord): void {
    if (!tractor.replannedOut || tractor.commLost) return;
    const backMs = this.clock.now() - (this.backInContactMs.get(tractor.id) ?? -Infinity);
    if (backMs < REJOIN_SETTLE_MS) return;
    if (tractor.reportedState === 'stopped' || this.stops.isHeld(tractor.id)) return;
    tractor.replannedOut = false;
    if (!this.work.allocated) return;
    this.work.tractorJoined(capabilityOf(tractor));
    this.recordPlan(`replanned: ${tractor.name} back in contact`);
    this.sendAllAssignments();
  }

  private onJoin(tractorId: string): void {
    this.stops.joined(tractorId);
    const tractor = this.tractors.get(tractorId);
    if (this.work.allocated && tractor && this.job.state !== 'planned') {
      this.work.tractorJoined(capabilityOf(tractor));
      this.recordPlan(`replanned: ${tractor.name} joined`);
      this.sendAllAssignments();
    } else if (this.work.sectionIdsOf(tractorId).length > 0) this.sendAssignment(tractorId);
    for (const waiter of [...this.tractorWaiters]) {
      if (this.tractors.size >= waiter.count) {
        this.tractorWaiters.splice(this.tractorWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  private housekeeping(): void {
    const now = this.clock.now();
    if (this.housekeepingDueMs > 0) this.stall.ran(this.housekeepingDueMs, now);
    this.housekeepingDueMs = now + HOUSEKEEPING_MS;
    const judging = this.stall.judging(now);
    const links = this.options.linkStatus?.() ?? [];
    for (const tractor of this.tractors.values()) {
      if (judging && !tractor.commLost && silenceOf(tractor, now, links) > COMM_LOST_MS) {
        tractor.commLost = true;
        this.stops.lost(tractor.id);
        this.audit({
          kind: 'comm-lost',
          actor: 'station',
          subject: tractor.id,
          detail: `silent for ${now - tractor.lastHeardMs} ms`,
        });
        this.raise('critical', tractor.id, `${tractor.name}: COMM LOST`);
      }
      if (
        tractor.commLost &&
        !tractor.replannedOut &&
        now - tractor.lastHeardMs > REPLAN_AFTER_LOST_MS &&
        this.canReplan()
      ) {
        tractor.replannedOut = true;
        this.work.tractorLost(tractor.id);
        this.recordPlan(`replanned: ${tractor.name} out of contact`);
        this.raise(
          'warning',
          'station',
          `${tractor.name}'s remaining sections moved to the rest of the fleet`,
        );
        this.sendAllAssignments();
        this.dirty = true;
      }
    }
    this.stops.repeatDue(now);
    this.modes.tick(now);
    if (++this.housekeepingTicks % ZONE_GUARD_EVERY === 0) this.guardZones(now);
    this.finishIfDone();
  }

  /** The job is finished when every tractor still in the plan reports its work done. */
  private finishIfDone(): void {
    if (this.job.state !== 'running' || !this.work.allocated) return;
    const working = [...this.tractors.values()].filter((t) => !t.replannedOut);
    if (working.length === 0 || !working.every((t) => t.reportedState === 'done')) return;
    this.setJobState('finished');
    this.raise('info', 'station', 'Job finished: every tractor has completed its sections');
    this.persist();
  }

  /** Automatic replans happen only while the job runs and no fleet stop is active. */
  /** Writes the coverage heard since the last flush into the shared document, one batch per tractor. */
  private flushCoverage(): void {
    if (!this.mirror) return;
    for (const [tractorId, segments] of this.pendingCoverage)
      this.mirror.appendCoverage(tractorId, segments);
    this.pendingCoverage.clear();
  }

  /** Records the plan's current assignments in the shared document. */
  private recordPlan(reason: string): void {
    this.mirror?.syncAssignments(this.work.assignments(), reason);
  }

  private openMirror(syncDir: string): void {
    this.mirror = JobMirror.forWork(this.work, this.job, {
      dataDir: syncDir,
      clock: this.clock,
      stationId: STATION_ACTOR_ID,
      log: this.log,
    });
    // A job read back (restart, reopened from the history) is planned on the document's field:
    // its latest boundary revision, in its own frame, whatever field the station started with.
    const field = this.mirror.created ? null : this.mirror.field();
    if (field) {
      const rebuilt = FieldWork.fromDocument(
        { ...field, name: this.job.fieldName },
        {
          plan: this.options.plan,
          operation: this.options.operation ?? DEFAULT_OPERATION,
        },
      );
      if (rebuilt.ok) {
        this.work = rebuilt.value;
        this.zones = this.zones.forField(rebuilt.value.field);
      } else
        this.log(
          `station: the job's field could not be read back (${rebuilt.error}); kept ${this.work.plan.fieldName}`,
        );
    }
    const segments = this.mirror.restoreInto(this.work);
    if (segments > 0)
      this.log(`station: ${segments} coverage segments restored from the job document`);
  }

  private canReplan(): boolean {
    return this.work.allocated && this.job.state === 'running' && !this.stops.fleetStopActive();
  }

  private raise(severity: AlertSnapshot['severity'], source: string, message: string): void {
    const wallMs = this.clock.wallNow();
    const id = `alert-${wallMs.toString(36)}-${this.alerts.length}`;
    this.audit({ kind: 'alert', actor: source, subject: id, detail: `${severity}: ${message}` });
    this.mirror?.raiseAlert(id, severity, source, message);
    this.alerts.push({
      id,
      severity,
      source,
      message,
      atWallMs: wallMs,
      acknowledged: false,
    });
    if (this.alerts.length > 200) this.alerts = this.alerts.slice(-200);
    this.notice(severity, message);
    this.dirty = true;
  }

  /** Zones and separation: slow or hold machines heading for a violation, stop those in one. */
  private guardZones(nowMs: number): void {
    const verdicts = this.zones.assess([...this.tractors.values()], nowMs);
    for (const { tractorId, maxMps } of verdicts.limits)
      this.port.send(tractorId, { kind: 'speed-limit', maxMps });
    for (const action of verdicts.started)
      this.audit({
        kind: 'zone-hold',
        actor: 'zone guard',
        subject: action.tractorId,
        detail: `${action.action}: ${action.reason}`,
      });
    for (const action of verdicts.stops) {
      if (this.stops.isHeld(action.tractorId)) continue;
      this.audit({
        kind: 'zone-violation',
        actor: 'zone guard',
        subject: action.tractorId,
        detail: action.reason,
      });
      this.raise(
        'critical',
        action.tractorId,
        `${this.nameOf(action.tractorId)} stopped: ${action.reason}`,
      );
      this.stops.issue(action.tractorId, [action.tractorId], 'zone guard');
    }
    if (verdicts.limits.length > 0) this.publish();
  }

  /** The current job's line in the history. */
  private recordHistory(): void {
    this.options.history?.record(historyLine(this.job, this.work, this.clock.wallNow()));
  }

  /**
   * Reopens a job of the history, between jobs: its document holds the field, plan,
   * assignments and coverage, so it comes back as it was left — paused, never moving.
   */
  private reopenJob(jobId: string, actor: string): CommandResult {
    const history = this.options.history;
    const syncDir = this.options.syncDir;
    if (!history || !syncDir)
      return commandFailed('unavailable', 'this station keeps no job history');
    if (jobId === this.job.id) return commandFailed('conflict', 'that job is already open');
    const entry = history.get(jobId);
    if (!entry || entry.deletedAtWallMs !== null)
      return commandFailed('not-found', `no job ${jobId} in the history`);
    if (this.job.state === 'running' || this.stops.active().length > 0)
      return commandFailed(
        'refused',
        `the job is ${this.job.state}: pause it and release every stop first`,
      );
    if (this.mirror && !this.mirror.storedJobs().includes(jobId))
      return commandFailed('not-found', `job ${jobId} is listed but its document is missing`);
    this.flushCoverage();
    this.persist();
    this.mirror?.close();
    this.mirror = null;
    this.job = {
      version: 2,
      id: entry.id,
      name: entry.name,
      createdAtWallMs: entry.createdAtWallMs,
      state: entry.state === 'running' || entry.state === 'stopped' ? 'paused' : entry.state,
      fieldName: entry.fieldName,
    };
    this.openMirror(syncDir);
    for (const id of this.tractors.keys()) this.port.send(id, { kind: 'assign', sections: [] });
    this.notice('info', `Reopened ${entry.name}`);
    this.log(`station: job ${jobId} reopened by ${actor}`);
    this.persist();
    this.publish();
    return commandOk();
  }

  private deleteJob(jobId: string, actor: string): CommandResult {
    const history = this.options.history;
    const result = deleteFromHistory(history, jobId, this.job.id, this.clock.wallNow());
    if (!result.ok) return result;
    this.log(`station: job ${jobId} deleted by ${actor} (undoable for 24 h)`);
    this.publish();
    return result;
  }

  private undeleteJob(jobId: string): CommandResult {
    const result = undeleteFromHistory(this.options.history, jobId, this.clock.wallNow());
    if (result.ok) this.publish();
    return result;
  }

  /** The narrow view of the station its parts work through. */
  private services(): StationServices {
    return {
      clock: this.clock,
      port: this.port,
      tractors: this.tractors,
      audit: (fields) => this.audit(fields),
      raise: (severity, source, message) => this.raise(severity, source, message),
      notice: (severity, message) => this.notice(severity, message),
      publish: () => this.publish(),
      nameOf: (id) => this.nameOf(id),
    };
  }

  private audit(fields: AuditFields): void {
    this.options.audit?.append(fields);
    this.options.recorder?.audit(this.job.id, fields);
  }

  private notice(severity: AlertSnapshot['severity'], message: string): void {
    this.emit({ type: 'notice', severity, message, atWallMs: this.clock.wallNow() });
  }

  private publish(): void {
    if (this.listeners.size === 0) return;
    this.seq++;
    this.emit({ type: 'state', snapshot: this.snapshot() });
  }

  private emit(event: StationEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private setJobState(state: JobState): void {
    if (this.job.state === state) return;
    this.job = { ...this.job, state };
    this.dirty = true;
  }

  private nameOf(tractorId: string): string {
    return this.tractors.get(tractorId)?.name ?? tractorId;
  }

  private every(periodMs: number, fn: () => void): void {
    let cancel = (): void => undefined;
    const loop = (): void => {
      if (this.closed) return;
      fn();
      cancel = this.clock.setTimer(periodMs, loop);
    };
    cancel = this.clock.setTimer(periodMs, loop);
    this.cancelTimers.push(() => cancel());
  }

  private persistIfDirty(): void {
    if (this.dirty) this.persist();
  }

  private persist(): void {
    this.recordHistory();
    if (!this.options.store) return;
    this.dirty = false;
    this.options.store.save(
      jobRecordOf(this.job, this.work, this.stops.active(), this.alerts, !this.mirror),
    );
  }

  /** Loads the persisted job. A job that was running comes back paused: nothing restarts by itself. */
  private restore(): void {
    const store = this.options.store;
    if (!store) return;
    const result = store.load(this.clock.wallNow());
    if (result.kind === 'corrupt') {
      this.log(
        `station: job record was corrupt (${result.error}); kept at ${result.movedTo}, starting a new job`,
      );
      this.raise(
        'warning',
        'station',
        `Saved job could not be read (${result.error}); a new job was started`,
      );
      return;
    }
    if (result.kind === 'empty') return;
    this.job = resumeFromRecord(result.record, this.work, this.stops.coordinator, this.clock.now());
    this.alerts = result.record.alerts;
    this.log(
      `station: resumed job ${this.job.id} (${this.job.state}), ${result.record.stops.length} stop(s) still in force`,
    );
  }
}

/**
 * A tractor heard again is replanned in only after this long back in contact: its state comes
 * at 10 Hz, and the first message heard may carry its state from before the cut (a progress
 * report queued then goes out with the last telemetry the station had).
 */
const REJOIN_SETTLE_MS = 1_000;
/** A tractor silent this long has its remaining work moved to the others (COMM LOST shows within 0.5 s). */
const REPLAN_AFTER_LOST_MS = 10_000;
/** A start the tractor ignored while stopped is repeated if it reports its release within this. */
const START_AFTER_RELEASE_MS = 2_000;
/** The zone guard runs every this many housekeeping ticks (25 ms × 4 = 10 Hz, the telemetry rate). */
const ZONE_GUARD_EVERY = 4;
/** Coverage is written to the shared document in per-tractor batches at most this often. */
const COVERAGE_FLUSH_MS = 1_000;
/** The id the station stamps on what it writes into the shared document. */
const STATION_ACTOR_ID = 'station';
/** The simulated fleet sows; the operation decides which implements are compatible. */
const DEFAULT_OPERATION: Operation = 'seeding';
