/**
 * The station's side of autonomy-mode changes: sends the handshake (electron/safety's
 * ModeCoordinator decides), tells the operator the outcome, and shows a change under way.
 */
import {
  commandFailed,
  commandOk,
  type AutonomyMode,
  type CommandResult,
  type StationSnapshot,
} from '../../shared/index.js';
import { ModeCoordinator, type ModeOutcome } from '../safety/index.js';
import type { StationServices } from './station-services.js';

export class ModeControl {
  private readonly modes = new ModeCoordinator();

  constructor(private readonly s: StationServices) {}

  /** Starts a change for the listed tractors (the whole fleet in contact when none are named). */
  request(
    mode: AutonomyMode,
    tractorIds: readonly string[] | undefined,
    actor: string,
  ): CommandResult {
    const { tractors } = this.s;
    const targets =
      tractorIds ?? [...tractors.values()].filter((t) => !t.commLost).map((t) => t.id);
    const unknown = targets.filter((id) => !tractors.has(id));
    if (unknown.length > 0) return commandFailed('not-found', `no tractor ${unknown.join(', ')}`);
    const silent = targets.filter((id) => tractors.get(id)?.commLost);
    if (silent.length > 0)
      return commandFailed(
        'refused',
        `out of contact: ${silent.map((id) => this.s.nameOf(id)).join(', ')}`,
      );
    const scope = tractorIds?.length === 1 ? (tractorIds[0] ?? 'fleet') : 'fleet';
    const started = this.modes.request(scope, targets, mode, this.s.clock.now(), actor);
    if (!started.ok) return commandFailed('conflict', started.reason);
    for (const id of targets)
      this.s.port.send(id, { kind: 'mode-request', requestId: started.change.requestId, mode });
    this.s.audit({
      kind: 'mode-change',
      actor,
      subject: scope,
      detail: `requested ${mode} for ${targets.join(', ')}`,
    });
    this.s.publish();
    return commandOk();
  }

  reply(from: string, requestId: number, accepted: boolean, reason: string): void {
    const outcome = this.modes.reply(from, requestId, accepted, reason, this.s.clock.now());
    if (outcome) this.finish(outcome);
    else this.s.publish();
  }

  tick(nowMs: number): void {
    const outcome = this.modes.tick(nowMs);
    if (outcome) this.finish(outcome);
  }

  snapshot(): StationSnapshot['modeChange'] {
    const change = this.modes.pending();
    if (!change) return null;
    const waitingFor = [...change.replies].filter(([, r]) => r === null).map(([id]) => id);
    return { mode: change.mode, scope: change.scope, waitingFor };
  }

  /** All accepted: tell them to switch. Any refused or silent: tell them all to forget it. */
  private finish(outcome: ModeOutcome): void {
    const { change } = outcome;
    const commit = outcome.kind === 'committed';
    for (const id of change.replies.keys())
      this.s.port.send(id, { kind: 'mode-commit', requestId: change.requestId, commit });
    const entry = {
      kind: 'mode-change' as const,
      actor: change.requestedBy,
      subject: change.scope,
    };
    if (outcome.kind === 'committed') {
      this.s.audit({ ...entry, detail: `committed ${change.mode}` });
      this.s.notice('info', `Switched to ${change.mode}: ${change.replies.size} tractor(s)`);
    } else {
      const why = outcome.refusals
        .map((r) => `${this.s.nameOf(r.tractorId)} (${r.reason})`)
        .join(', ');
      this.s.audit({ ...entry, detail: `aborted ${change.mode}: ${why}` });
      this.s.raise(
        'warning',
        'station',
        `Mode change to ${change.mode} cancelled for all: refused by ${why}`,
      );
    }
    this.s.publish();
  }
}
