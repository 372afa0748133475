/**
 * The tractor's half of the autonomy-mode handshake (electron/safety/mode-coordinator.ts):
 * answer a request, switch only on the matching commit, forget an aborted or stale request.
 */
import type { AutonomyMode } from '../../shared/index.js';
import type { TractorToStation } from '../link/index.js';

export class ModeResponder {
  mode: AutonomyMode = 'autonomous';
  /** When set, every request is refused with this reason (an injected fault). */
  refuseAll: string | null = null;
  private pending: { requestId: number; mode: AutonomyMode } | null = null;

  constructor(private readonly send: (message: TractorToStation) => void) {}

  request(requestId: number, mode: AutonomyMode, stopped: boolean): void {
    const refusal =
      this.refuseAll ??
      (stopped && mode === 'autonomous' ? 'stopped: release the stop before autonomy' : null);
    this.pending = refusal === null ? { requestId, mode } : null;
    this.send({ kind: 'mode-reply', requestId, accepted: refusal === null, reason: refusal ?? '' });
  }

  commit(requestId: number, commit: boolean): void {
    if (this.pending?.requestId !== requestId) return;
    if (commit) this.mode = this.pending.mode;
    this.pending = null;
  }
}
