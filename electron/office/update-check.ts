/**
 * The office's check of every update a client sends, before Hocuspocus applies it: the same
 * validation a station applies to a remote writer (`UpdateValidator`, electron/sync/), and the
 * same cap on one message as the station's sync peers (`DEFAULT_PEER_LIMITS.maxMessageBytes`).
 *
 * A refused message is never applied: Hocuspocus applies a message only after every
 * `beforeHandleMessage` hook has resolved, and closes the document's connection with the
 * rejected hook's `reason` (its CLOSE message, which the provider reports as a close event).
 *
 * Hocuspocus runs the hooks of each message as soon as it arrives, so two messages read in one
 * go would be judged against the same state, the second before the first is applied (a sync
 * step 2 and the update after it: a clock gap that is none). Updates to one document are
 * therefore judged in turn: each waits until the one before it has been judged and applied
 * (its hook settled, then a macrotask, by which time Hocuspocus's apply, a microtask, has run).
 * Between a judgement and its apply there are only microtasks, so nothing else changes the
 * document in between.
 */
import { Connection, MessageType, type Extension } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import { messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
import type * as Y from 'yjs';
import {
  ClientBindings,
  UpdateValidator,
  type Principal,
  type RejectReason,
  type Rejection,
} from '../sync/index.js';

export interface RefusalEvent extends Rejection {
  readonly documentName: string;
  readonly principal: Principal | null;
  readonly bytes: number;
}

/** The longest detail sent back: a validator's detail can quote a decoder's error. */
const MAX_DETAIL_CHARS = 200;

/** Thrown from the hook: Hocuspocus closes the connection with `reason`. */
export class RefusedUpdate extends Error {
  override readonly name = 'RefusedUpdate';
  readonly reason: string;

  constructor(readonly rejection: Rejection) {
    super(rejection.detail);
    this.reason = refusalReason(rejection);
  }
}

/** The reason a refused client is sent: `refused (<reason>): <detail>`. */
export function refusalReason(rejection: Rejection): string {
  return `refused (${rejection.reason}): ${rejection.detail.slice(0, MAX_DETAIL_CHARS)}`;
}

/** Hocuspocus's sync messages; a reply differs only in not asking for the server's step 1. */
const SYNC_TYPES: ReadonlySet<number> = new Set([MessageType.Sync, MessageType.SyncReply]);

type Carried =
  | { readonly kind: 'none' }
  | { readonly kind: 'update'; readonly update: Uint8Array }
  | { readonly kind: 'malformed'; readonly detail: string };

/** The Yjs update a Hocuspocus message carries: a sync step 2 or an update; none otherwise. */
function carriedUpdate(message: Uint8Array): Carried {
  try {
    const decoder = decoding.createDecoder(message);
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (!SYNC_TYPES.has(type)) return { kind: 'none' };
    const step = decoding.readVarUint(decoder);
    if (step !== messageYjsSyncStep2 && step !== messageYjsUpdate) return { kind: 'none' };
    return { kind: 'update', update: decoding.readVarUint8Array(decoder) };
  } catch (err) {
    return { kind: 'malformed', detail: `undecodable message: ${String(err)}` };
  }
}

/** The writer `onAuthenticate` put into the connection's context (office-server.ts). */
function principalOf(context: unknown): Principal | null {
  if (typeof context !== 'object' || context === null || !('principal' in context)) return null;
  const { principal } = context;
  return typeof principal === 'object' && principal !== null && 'role' in principal
    ? (principal as Principal)
    : null;
}

export interface UpdateCheckOptions {
  readonly maxMessageBytes: number;
  readonly onRefused: (event: RefusalEvent) => void;
}

export function updateCheck(options: UpdateCheckOptions): Extension {
  const validators = new WeakMap<Y.Doc, UpdateValidator>();
  const validatorOf = (doc: Y.Doc): UpdateValidator => {
    let validator = validators.get(doc);
    if (!validator) {
      // Client ids bound to tractors live in the station; at the office every write a station
      // relays is held to the station's rules.
      validator = new UpdateValidator(doc, new ClientBindings());
      validators.set(doc, validator);
    }
    return validator;
  };
  const turns = new WeakMap<Y.Doc, Promise<unknown>>();
  /** Runs `judge` once every earlier update to `doc` has been judged and applied. */
  const inTurn = (doc: Y.Doc, judge: () => Promise<void>): Promise<void> => {
    const after = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    const turn = (turns.get(doc) ?? Promise.resolve()).then(after, after).then(judge);
    turns.set(
      doc,
      turn.catch(() => undefined),
    );
    return turn;
  };
  return {
    extensionName: 'headland-update-check',
    beforeHandleMessage({ update: message, document, documentName, context }) {
      const principal = principalOf(context);
      const refuse = (reason: RejectReason, detail: string): Promise<never> => {
        const rejection = { reason, detail };
        options.onRefused({ ...rejection, documentName, principal, bytes: message.byteLength });
        return Promise.reject(new RefusedUpdate(rejection));
      };
      if (message.byteLength > options.maxMessageBytes)
        return refuse(
          'too-large',
          `${message.byteLength} bytes in one message (at most ${options.maxMessageBytes})`,
        );
      const carried = carriedUpdate(message);
      if (carried.kind === 'none') return Promise.resolve();
      if (carried.kind === 'malformed') return refuse('malformed', carried.detail);
      if (!principal) return refuse('forbidden', 'not authenticated');
      return inTurn(document, () => {
        const result = validatorOf(document).validate(carried.update, principal);
        return result.ok
          ? Promise.resolve()
          : refuse(result.rejection.reason, result.rejection.detail);
      });
    },
    afterLoadDocument({ document }) {
      // Deletes of structs the office has not received were not judged (UpdateValidator): Yjs
      // would keep them pending and apply them, unjudged, when the structs come. The station's
      // UpdateGate drops them the same way; they come again, and are judged, with the structs.
      document.on('afterTransaction', (tr: Y.Transaction) => {
        if (tr.origin instanceof Connection) document.store.pendingDs = null;
      });
      return Promise.resolve();
    },
  };
}
