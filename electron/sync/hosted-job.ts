/**
 * A job as the station hosts it for remote peers: the doc, the gate every remote update
 * passes, and the awareness (presence) shared by its sessions.
 */
import { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Clock } from '../time/index.js';
import { ClientBindings } from './principal.js';
import { UpdateGate } from './update-gate.js';

export interface HostedJob {
  readonly jobId: string;
  readonly doc: Y.Doc;
  readonly gate: UpdateGate;
  readonly awareness: Awareness;
  destroy(): void;
}

export interface HostJobOptions {
  readonly bindings?: ClientBindings;
  /** Structured log sink; every rejected update is logged here (`sync:` prefix). */
  readonly log?: (line: string, fields: Record<string, unknown>) => void;
}

export function hostJob(
  jobId: string,
  doc: Y.Doc,
  clock: Clock,
  options: HostJobOptions = {},
): HostedJob {
  const gate = new UpdateGate(doc, clock, options.bindings ?? new ClientBindings());
  const log = options.log;
  const stopLogging = log
    ? gate.onRejection((e) => {
        log('sync: rejected update', {
          jobId,
          peer: e.principal.id,
          role: e.principal.role,
          reason: e.reason,
          detail: e.detail,
          bytes: e.bytes,
        });
      })
    : (): void => undefined;
  // The station's own awareness entry stays empty: presence here is the peers'.
  const awareness = new Awareness(doc);
  awareness.setLocalState(null);
  return {
    jobId,
    doc,
    gate,
    awareness,
    destroy: () => {
      stopLogging();
      awareness.destroy();
    },
  };
}
