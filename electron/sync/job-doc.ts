/**
 * Typed access to one field job's Y.Doc. Other modules use this class and never touch Yjs
 * types. Every local change runs in `doc.transact(fn, origin)` with a named origin
 * (`job-doc:<op kind>`), and every operator-level change also appends an op record stamped with
 * the writer's state vector, so the UI can show causal order (causality.ts).
 */
import * as Y from 'yjs';
import type { Clock } from '../time/index.js';
import type { AssignmentConflict } from './assignment-rules.js';
import { ClaimIndex } from './claim-index.js';
import { type SwathSegment, encodeSegments } from './coverage-codec.js';
import { HybridLogicalClock, hlcKey } from './hlc.js';
import {
  type JobSnapshot,
  coverageChunks,
  readCoverage,
  readFieldRevisions,
  readMeta,
  readOps,
  readSnapshot,
  readValues,
  rootMap,
} from './job-read.js';
import {
  type Alert,
  type AssignmentClaim,
  type EstopRecord,
  type JobMode,
  type OpKind,
  type OpRecord,
  type RefillStopRecord,
  type RootName,
  type Section,
  type SectionState,
  type TractorStatus,
  COVERAGE_CHUNK_ITEMS,
  ROOTS,
  SCHEMA_VERSION,
  coverageChunkKey,
  isRootName,
  refillStopKey,
  refillStopRecordSchema,
} from './schema.js';

export type ActorRole = 'station' | 'tractor';
export interface Actor {
  readonly role: ActorRole;
  /** Station id or tractor id; stamped on everything this replica writes. */
  readonly id: string;
}

export interface JobInit {
  readonly jobId: string;
  readonly name: string;
  readonly boundary: [number, number][][];
  readonly frameOrigin: [number, number];
  readonly sections: readonly Omit<Section, 'order'>[];
  /** Initial plan: section id → tractor id. */
  readonly assignments?: Readonly<Record<string, string>>;
}

export interface JobChange {
  readonly origin: unknown;
  /** True when the change came from this JobDoc's own methods. */
  readonly local: boolean;
  readonly roots: ReadonlySet<RootName>;
}

export const LOCAL_ORIGIN_PREFIX = 'job-doc:';
export function localOrigin(kind: OpKind | 'coverage' | 'audit-anchor' | 'refill-stops'): string {
  return `${LOCAL_ORIGIN_PREFIX}${kind}`;
}
export function isLocalOrigin(origin: unknown): boolean {
  return typeof origin === 'string' && origin.startsWith(LOCAL_ORIGIN_PREFIX);
}

type AnyType = Parameters<typeof Y.findRootTypeKey>[0];

export class JobDocError extends Error {
  override readonly name = 'JobDocError';
}

export interface JobDocOptions {
  readonly actor: Actor;
  readonly clock: Clock;
  /** Wrap this doc instead of a fresh one (e.g. one loaded from the store). */
  readonly doc?: Y.Doc;
}

export class JobDoc {
  readonly doc: Y.Doc;
  readonly actor: Actor;
  private readonly clock: Clock;
  private readonly hlc: HybridLogicalClock;
  private readonly openChunks = new Map<
    string,
    { key: string; chunkNo: number; arr: Y.Array<Uint8Array> }
  >();
  private readonly assignments: Y.Map<unknown>;
  private readonly claims: ClaimIndex;
  /** Yjs clients that have written op records: the only ones an op can depend on. */
  private readonly opWriters = new Set<number>();
  private readonly opsMap: Y.Map<unknown>;
  private readonly onOps = (event: Y.YMapEvent<unknown>): void => {
    for (const key of event.keysChanged as Set<string>) this.noteOpWriter(key);
  };

  constructor(options: JobDocOptions) {
    this.doc = options.doc ?? new Y.Doc();
    this.actor = options.actor;
    this.clock = options.clock;
    this.hlc = new HybridLogicalClock(options.clock);
    this.assignments = rootMap(this.doc, ROOTS.assignments);
    this.claims = new ClaimIndex(this.doc, this.assignments, (claim) =>
      this.hlc.observe(claim.hlc),
    );
    this.opsMap = rootMap(this.doc, ROOTS.ops);
    for (const key of this.opsMap.keys()) this.noteOpWriter(key);
    this.opsMap.observe(this.onOps);
  }

  /** Creates a job from a field, its sections and an initial assignment plan. */
  static create(init: JobInit, options: JobDocOptions): JobDoc {
    const job = new JobDoc(options);
    job.requireStation('create a job');
    const atMs = job.wallMs();
    job.write(
      'job-created',
      `job ${init.jobId} created with ${init.sections.length} sections`,
      () => {
        const meta = rootMap(job.doc, ROOTS.meta);
        meta.set('jobId', init.jobId);
        meta.set('name', init.name);
        meta.set('schemaVersion', SCHEMA_VERSION);
        meta.set('createdAtMs', atMs);
        meta.set('frameOrigin', init.frameOrigin);
        meta.set('jobMode', { mode: 'planned', by: job.actor.id, atMs, reason: 'created' });
        job.putFieldRevision(init.boundary, 'initial boundary');
        const sections = rootMap(job.doc, ROOTS.sections);
        const states = rootMap(job.doc, ROOTS.sectionStates);
        init.sections.forEach((s, order) => {
          sections.set(s.id, {
            id: s.id,
            name: s.name,
            polygon: s.polygon,
            areaM2: s.areaM2,
            order,
          });
          states.set(s.id, { state: 'pending', by: job.actor.id, atMs });
        });
        for (const [sectionId, tractorId] of Object.entries(init.assignments ?? {})) {
          job.putClaim(sectionId, tractorId, 'initial plan');
        }
      },
    );
    return job;
  }

  snapshot(): JobSnapshot {
    return readSnapshot(this.doc);
  }

  /** Origin of the job's local metric frame; null until this replica holds the job's meta. */
  frameOrigin(): readonly [number, number] | null {
    return readMeta(this.doc, 'frameOrigin') ?? null;
  }

  coverage(tractorId: string): SwathSegment[] {
    return readCoverage(this.doc, tractorId);
  }

  fieldRevisions(): ReturnType<typeof readFieldRevisions> {
    return readFieldRevisions(this.doc);
  }

  /** The operations log in causal order. */
  ops(): OpRecord[] {
    return readOps(this.doc);
  }

  currentConflicts(): AssignmentConflict[] {
    return this.claims.conflicts();
  }

  /** Assigns (or, with null, unassigns) a section; supersedes every claim this replica sees. */
  assign(sectionId: string, tractorId: string | null, reason: string): AssignmentClaim {
    this.requireStation('assign sections');
    let claim: AssignmentClaim | undefined;
    this.write('assign', `${sectionId} → ${tractorId ?? 'nobody'}: ${reason}`, () => {
      claim = this.putClaim(sectionId, tractorId, reason);
    });
    if (!claim) throw new JobDocError('assignment was not written');
    return claim;
  }

  /**
   * Assigns several sections in one transaction with one op record (a replan is one operator-
   * level change): each section still gets its own claim, superseding what this replica sees.
   * A replan that moves hundreds of sections would otherwise add as many op records, each with
   * its own state vector, to what every replica — and a tractor back from a radio cut — must
   * receive.
   */
  assignMany(
    changes: readonly { sectionId: string; tractorId: string | null }[],
    reason: string,
  ): AssignmentClaim[] {
    this.requireStation('assign sections');
    if (changes.length === 0) return [];
    const [only] = changes;
    const summary =
      changes.length === 1 && only
        ? `${only.sectionId} → ${only.tractorId ?? 'nobody'}: ${reason}`
        : `${changes.length} sections (${changes
            .slice(0, 8)
            .map((c) => `${c.sectionId} → ${c.tractorId ?? 'nobody'}`)
            .join(', ')}${changes.length > 8 ? ', …' : ''}): ${reason}`;
    const claims: AssignmentClaim[] = [];
    this.write('assign', summary, () => {
      for (const c of changes) claims.push(this.putClaim(c.sectionId, c.tractorId, reason));
    });
    return claims;
  }

  reviseField(boundary: [number, number][][], reason: string): void {
    this.requireStation('revise the field');
    this.write('field-revised', reason, () => this.putFieldRevision(boundary, reason));
  }

  setSectionState(sectionId: string, state: SectionState): void {
    this.requireStation('set section states');
    this.write('section-state', `${sectionId} ${state}`, () => {
      rootMap(this.doc, ROOTS.sectionStates).set(sectionId, {
        state,
        by: this.actor.id,
        atMs: this.wallMs(),
      });
    });
  }

  setJobMode(mode: JobMode, reason: string): void {
    this.requireStation('change the job mode');
    this.write('job-mode', `${mode}: ${reason}`, () => {
      rootMap(this.doc, ROOTS.meta).set('jobMode', {
        mode,
        by: this.actor.id,
        atMs: this.wallMs(),
        reason,
      });
    });
  }

  /**
   * The station's audit log anchor (entries and last hash). Written as a register without an op
   * record: it changes with every safety event and says nothing the log does not.
   */
  setAuditAnchor(anchor: { count: number; lastHash: string }): void {
    this.requireStation('anchor the audit log');
    this.doc.transact(() => {
      rootMap(this.doc, ROOTS.meta).set('auditAnchor', { ...anchor, atMs: this.wallMs() });
    }, localOrigin('audit-anchor'));
  }

  /** The audit log anchor last written here; null when none was. */
  auditAnchor(): { count: number; lastHash: string; atMs: number } | null {
    return readMeta(this.doc, 'auditAnchor') ?? null;
  }

  /**
   * The job's refill stops as the station last saw them: each one new or lengthened since is
   * written (a register per stop, without op records: like coverage, they log what machines
   * did). Returns how many were written.
   */
  putRefillStops(stops: readonly Omit<RefillStopRecord, 'id'>[]): number {
    this.requireStation('record refill stops');
    const map = rootMap(this.doc, ROOTS.refillStops);
    const changed = stops
      .map((stop) => ({ ...stop, id: refillStopKey(stop.tractorId, stop.arrivedAtWallMs) }))
      .filter((stop) => {
        const held = map.get(stop.id) as Partial<RefillStopRecord> | undefined;
        return held?.leftAtWallMs !== stop.leftAtWallMs;
      });
    if (changed.length > 0)
      this.doc.transact(() => {
        for (const stop of changed) map.set(stop.id, { ...stop, position: [...stop.position] });
      }, localOrigin('refill-stops'));
    return changed.length;
  }

  /** The refill stops the document holds, in the order they began. */
  refillStops(): RefillStopRecord[] {
    return [...readValues(this.doc, ROOTS.refillStops, refillStopRecordSchema).values()].sort(
      (a, b) => a.arrivedAtWallMs - b.arrivedAtWallMs,
    );
  }

  /** A tractor records its own status; the station may record any tractor's. */
  setTractorStatus(tractorId: string, status: Pick<TractorStatus, 'mode' | 'activity'>): void {
    this.requireSelfOrStation(tractorId);
    const value: TractorStatus = { ...status, by: this.actor.id, atMs: this.wallMs() };
    const put = (): void => {
      rootMap(this.doc, ROOTS.tractors).set(tractorId, value);
    };
    if (this.actor.role === 'tractor') this.doc.transact(put, localOrigin('tractor-status'));
    else this.write('tractor-status', `${tractorId} ${status.mode}/${status.activity}`, put);
  }

  raiseAlert(alert: Omit<Alert, 'atMs' | 'source'>): void {
    this.requireStation('raise alerts');
    this.write('alert', `${alert.severity}: ${alert.message}`, () => {
      rootMap(this.doc, ROOTS.alerts).set(alert.id, {
        ...alert,
        source: this.actor.id,
        atMs: this.wallMs(),
      });
    });
  }

  acknowledgeAlert(alertId: string): void {
    this.requireStation('acknowledge alerts');
    this.write('alert-ack', alertId, () => {
      rootMap(this.doc, ROOTS.alertAcks).set(alertId, {
        by: this.actor.id,
        atMs: this.wallMs(),
      });
    });
  }

  /**
   * Section → tractor as the claims resolve now, for the sections the job has: what the
   * snapshot's sections say, read from the claims already indexed rather than the whole
   * document (a burst of drags compares the plan with it once per drag).
   */
  holders(): Record<string, string> {
    const sections = rootMap(this.doc, ROOTS.sections);
    return this.claims.holders((sectionId) => sections.has(sectionId));
  }

  /** Whether an e-stop record with this id is in the document (a new stop needs a new id). */
  hasEstop(estopId: string): boolean {
    return rootMap(this.doc, ROOTS.estops).has(estopId);
  }

  recordEstop(estop: Omit<EstopRecord, 'atMs' | 'by'>): void {
    this.requireStation('record e-stops');
    this.write('estop', `${estop.scope}: ${estop.reason}`, () => {
      const map = rootMap(this.doc, ROOTS.estops);
      if (map.has(estop.id)) throw new JobDocError(`e-stop ${estop.id} already recorded`);
      map.set(estop.id, { ...estop, by: this.actor.id, atMs: this.wallMs() });
    });
  }

  releaseEstop(estopId: string): void {
    this.requireStation('release e-stops');
    if (!rootMap(this.doc, ROOTS.estops).has(estopId))
      throw new JobDocError(`unknown e-stop ${estopId}`);
    const releases = rootMap(this.doc, ROOTS.estopReleases);
    if (releases.has(estopId)) return;
    this.write('estop-release', estopId, () =>
      releases.set(estopId, { by: this.actor.id, atMs: this.wallMs() }),
    );
  }

  /** Appends swath segments to a tractor's coverage log (append-only, chunked). */
  appendCoverage(tractorId: string, segments: readonly SwathSegment[]): void {
    if (segments.length === 0) return;
    this.requireSelfOrStation(tractorId);
    const batch = encodeSegments(segments);
    this.doc.transact(() => this.openChunk(tractorId).arr.push([batch]), localOrigin('coverage'));
  }

  /** Calls `cb` after every transaction that changed the job, local or remote. */
  onChange(cb: (change: JobChange) => void): () => void {
    const handler = (tr: Y.Transaction): void => {
      const roots = new Set<RootName>();
      for (const type of tr.changed.keys()) {
        let t: AnyType = type;
        while (t._item?.parent instanceof Y.AbstractType) t = t._item.parent;
        const name = Y.findRootTypeKey(t);
        if (isRootName(name)) roots.add(name);
      }
      if (roots.size > 0) cb({ origin: tr.origin, local: isLocalOrigin(tr.origin), roots });
    };
    this.doc.on('afterTransaction', handler);
    return () => this.doc.off('afterTransaction', handler);
  }

  /** Told once per replica when a concurrent assignment of a section lost (the loser's operator). */
  onConflict(cb: (conflict: AssignmentConflict) => void): () => void {
    return this.claims.onConflict(cb);
  }

  destroy(): void {
    this.claims.destroy();
    this.opsMap.unobserve(this.onOps);
  }

  private putClaim(sectionId: string, tractorId: string | null, reason: string): AssignmentClaim {
    const current = this.claims.resolution(sectionId);
    const hlc = this.hlc.now();
    const key = `${sectionId}@${hlcKey(hlc)}@${this.actor.id}`;
    const claim: AssignmentClaim = {
      key,
      sectionId,
      tractorId,
      assignedBy: this.actor.id,
      stationId: this.actor.id,
      atMs: this.wallMs(),
      reason,
      hlc,
      seen: (current?.frontier ?? []).map((c) => c.key),
    };
    this.assignments.set(key, claim);
    return claim;
  }

  private putFieldRevision(boundary: [number, number][][], reason: string): void {
    const hlc = this.hlc.now();
    const key = `${hlcKey(hlc)}@${this.actor.id}`;
    rootMap(this.doc, ROOTS.field).set(key, {
      key,
      boundary,
      by: this.actor.id,
      atMs: this.wallMs(),
      reason,
      hlc,
    });
  }

  private openChunk(tractorId: string): { key: string; chunkNo: number; arr: Y.Array<Uint8Array> } {
    let open = this.openChunks.get(tractorId);
    if (!open) {
      const mine = coverageChunks(this.doc, tractorId)
        .filter((c) => c.client === this.doc.clientID)
        .at(-1);
      if (mine)
        open = {
          key: coverageChunkKey(tractorId, mine.client, mine.chunkNo),
          chunkNo: mine.chunkNo,
          arr: mine.arr as Y.Array<Uint8Array>,
        };
    }
    if (!open || open.arr.length >= COVERAGE_CHUNK_ITEMS) {
      const chunkNo = open ? open.chunkNo + 1 : 0;
      const key = coverageChunkKey(tractorId, this.doc.clientID, chunkNo);
      const arr = new Y.Array<Uint8Array>();
      rootMap(this.doc, ROOTS.coverage).set(key, arr);
      open = { key, chunkNo, arr };
    }
    this.openChunks.set(tractorId, open);
    return open;
  }

  private noteOpWriter(key: string): void {
    const client = Number(key.slice(0, key.indexOf(':')));
    if (Number.isSafeInteger(client) && client >= 0) this.opWriters.add(client);
  }

  /** Runs `fn` in one transaction with a named origin and appends the op record. */
  private write(kind: OpKind, summary: string, fn: () => void): void {
    // The writer's state vector restricted to the clients that write ops: `a` happened before
    // `b` iff b.deps[a.client] > a.clock, and a.client always writes ops. Tractor clients
    // (coverage, status) would make every record ~20 entries longer and change nothing.
    const deps: Record<string, number> = {};
    for (const writer of this.opWriters) {
      const state = Y.getState(this.doc.store, writer);
      if (state > 0) deps[String(writer)] = state;
    }
    const client = this.doc.clientID;
    const clock = Y.getState(this.doc.store, client);
    this.doc.transact(() => {
      fn();
      const id = `${client}:${clock}`;
      const op: OpRecord = {
        id,
        client,
        clock,
        kind,
        actor: this.actor.id,
        atMs: this.wallMs(),
        summary: summary.slice(0, 500),
        deps,
      };
      rootMap(this.doc, ROOTS.ops).set(id, op);
    }, localOrigin(kind));
  }

  /**
   * Whole milliseconds of wall time: every stamp in the document is an integer (the schema's
   * `atMs`), and a simulated clock can stand between milliseconds.
   */
  private wallMs(): number {
    return Math.floor(this.clock.wallNow());
  }

  private requireStation(what: string): void {
    if (this.actor.role !== 'station') throw new JobDocError(`only a station may ${what}`);
  }

  private requireSelfOrStation(tractorId: string): void {
    if (this.actor.role === 'tractor' && this.actor.id !== tractorId) {
      throw new JobDocError(`tractor ${this.actor.id} may not write for tractor ${tractorId}`);
    }
  }
}
