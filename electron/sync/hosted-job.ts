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

export function hostJob(
  jobId: string,
  doc: Y.Doc,
  clock: Clock,
  bindings: ClientBindings = new ClientBindings(),
): HostedJob {
  const gate = new UpdateGate(doc, clock, bindings);
  // The station's own awareness entry stays empty: presence here is the peers'.
  const awareness = new Awareness(doc);
  awareness.setLocalState(null);
  return { jobId, doc, gate, awareness, destroy: () => awareness.destroy() };
}
