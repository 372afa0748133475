/**
 * The one way remote updates enter a replica: validate, then apply with the transport's origin.
 * Rejections are counted by reason, reported to listeners (the UI shows them; the log records
 * them) and never reach the document.
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

  constructor(
    readonly doc: Y.Doc,
    private readonly clock: Clock,
    bindings: ClientBindings = new ClientBindings(),
  ) {
    this.bindings = bindings;
    this.validator = new UpdateValidator(doc, bindings);
  }

  /** Validates `update` for `principal` and applies it under `origin` only when it passes. */
  apply(update: Uint8Array, principal: Principal, origin: unknown): GateResult {
    const result = this.validator.validate(update, principal);
    if (!result.ok) {
      this.reject(result.rejection, principal, update.byteLength);
      return result;
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
