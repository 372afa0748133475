/**
 * The one way remote updates enter a replica: validate, then apply with the transport's origin.
 * Rejections are counted by reason, reported to listeners (the UI shows them; the log records
 * them) and never reach the document.
 *
 * A remote operator (a token holder at /sync/<job>, the farm office mirror) is also held to
 * volume limits: an update of at most 512 KB and 1,000 keys, and 5,000 keys or 4 MB a minute.
 * What it may write (assignment claims, alerts, acknowledgements) is a few hundred bytes a key
 * and a replan of 400 sections about 110 KB; a 15 MB update of 25,000 alerts would otherwise
 * stall the station for seconds and bury the job's real alerts.
 */
import * as Y from 'yjs';
import type { Clock } from '../time/index.js';
import { ClientBindings, type Principal, type RejectReason, type Rejection } from './principal.js';
import { UpdateValidator } from './update-validator.js';

export interface RejectionEvent extends Rejection {
  readonly principal: Principal;
  readonly bytes: number;
  readonly atMs: number;
}

export type GateResult =
  | { readonly ok: true; readonly changed: boolean }
  | { readonly ok: false; readonly rejection: Rejection };

export interface WriterLimits {
  /** Largest update, refused before it is decoded. */
  readonly maxUpdateBytes: number;
  readonly maxKeysPerUpdate: number;
  /** Budget per writer over a one-minute window. */
  readonly maxKeysPerMinute: number;
  readonly maxBytesPerMinute: number;
}

export const OPERATOR_WRITER_LIMITS: WriterLimits = {
  maxUpdateBytes: 512 * 1024,
  maxKeysPerUpdate: 1_000,
  maxKeysPerMinute: 5_000,
  maxBytesPerMinute: 4 * 1024 * 1024,
};

const BUDGET_WINDOW_MS = 60_000;
/** Writers whose budget is tracked at once; expired windows are dropped beyond this. */
const MAX_TRACKED_WRITERS = 1_000;

interface Budget {
  startMs: number;
  keys: number;
  bytes: number;
}

export interface GateStats {
  accepted: number;
  rejected: number;
  readonly byReason: Partial<Record<RejectReason, number>>;
}

export class UpdateGate {
  readonly bindings: ClientBindings;
  readonly stats: GateStats = { accepted: 0, rejected: 0, byReason: {} };
  private readonly validator: UpdateValidator;
  private readonly listeners = new Set<(e: RejectionEvent) => void>();
  private readonly budgets = new Map<string, Budget>();

  constructor(
    readonly doc: Y.Doc,
    private readonly clock: Clock,
    bindings: ClientBindings = new ClientBindings(),
    private readonly operatorLimits: WriterLimits = OPERATOR_WRITER_LIMITS,
  ) {
    this.bindings = bindings;
    this.validator = new UpdateValidator(doc, bindings);
  }

  /** Validates `update` for `principal` and applies it under `origin` only when it passes. */
  apply(update: Uint8Array, principal: Principal, origin: unknown): GateResult {
    const limits = principal.role === 'operator' ? this.operatorLimits : null;
    if (limits && update.byteLength > limits.maxUpdateBytes)
      return this.refuse(
        'too-large',
        `${update.byteLength} bytes in one update`,
        principal,
        update,
      );
    const result = this.validator.validate(update, principal);
    if (!result.ok) {
      this.reject(result.rejection, principal, update.byteLength);
      return result;
    }
    if (limits && result.keys > limits.maxKeysPerUpdate)
      return this.refuse('too-large', `${result.keys} keys in one update`, principal, update);
    if (limits && (result.newStructs > 0 || result.deletes > 0)) {
      const over = this.charge(principal.id, result.keys, update.byteLength, limits);
      if (over) return this.refuse('rate-limited', over, principal, update);
    }
    for (const [client, tractorId] of result.bindings) this.bindings.bind(client, tractorId);
    if (result.newStructs > 0 || result.deletes > 0) {
      Y.applyUpdate(this.doc, update, origin);
      // Deletes of structs not yet received were not judged: drop them (see UpdateValidator).
      this.doc.store.pendingDs = null;
    }
    this.stats.accepted++;
    return { ok: true, changed: result.newStructs > 0 || result.deletes > 0 };
  }

  private refuse(
    reason: Rejection['reason'],
    detail: string,
    principal: Principal,
    update: Uint8Array,
  ): GateResult {
    const rejection: Rejection = { reason, detail };
    this.reject(rejection, principal, update.byteLength);
    return { ok: false, rejection };
  }

  /** Charges a writer's one-minute budget; the reason it is exceeded, or null. */
  private charge(writer: string, keys: number, bytes: number, limits: WriterLimits): string | null {
    const now = this.clock.now();
    let budget = this.budgets.get(writer);
    if (!budget || now - budget.startMs >= BUDGET_WINDOW_MS) {
      if (!budget && this.budgets.size >= MAX_TRACKED_WRITERS) this.dropExpiredBudgets(now);
      budget = { startMs: now, keys: 0, bytes: 0 };
      this.budgets.set(writer, budget);
    }
    if (budget.keys + keys > limits.maxKeysPerMinute)
      return `more than ${limits.maxKeysPerMinute} keys a minute`;
    if (budget.bytes + bytes > limits.maxBytesPerMinute)
      return `more than ${limits.maxBytesPerMinute} bytes a minute`;
    budget.keys += keys;
    budget.bytes += bytes;
    return null;
  }

  private dropExpiredBudgets(now: number): void {
    for (const [writer, budget] of this.budgets)
      if (now - budget.startMs >= BUDGET_WINDOW_MS) this.budgets.delete(writer);
  }

  /** Counts a rejection decided outside the validator (size or rate caps). */
  reject(rejection: Rejection, principal: Principal, bytes: number): void {
    this.stats.rejected++;
    this.stats.byReason[rejection.reason] = (this.stats.byReason[rejection.reason] ?? 0) + 1;
    const event: RejectionEvent = { ...rejection, principal, bytes, atMs: this.clock.wallNow() };
    for (const cb of this.listeners) cb(event);
  }

  onRejection(cb: (e: RejectionEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
}
