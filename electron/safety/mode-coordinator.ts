/**
 * Coordinated autonomy-mode changes (docs/safety.md, "Modes"): a two-phase handshake. The
 * station asks every target tractor whether it can switch (request), each answers (accept or
 * refuse with a reason), and only when all have accepted does the station tell them to switch
 * (commit); one refusal or a silent tractor aborts the change for all of them. So a fleet-wide
 * change never leaves the fleet half-switched by design; a commit lost on the way is caught by
 * comparing the modes tractors report with the target (`mismatched`), and shown.
 */
import type { AutonomyMode } from '../../shared/index.js';

/** A tractor that has not answered a mode request within this time counts as refusing. */
export const MODE_REPLY_TIMEOUT_MS = 2_000;
/** After a commit, a tractor still reporting another mode this long later is a mismatch to show. */
export const MODE_SETTLE_MS = 2_000;

export interface ModeChange {
  requestId: number;
  mode: AutonomyMode;
  /** 'fleet' or the one tractor id. */
  scope: string;
  requestedBy: string;
  startedAtMs: number;
  replies: Map<string, { accepted: boolean; reason: string } | null>;
}

export type ModeOutcome =
  | { kind: 'committed'; change: ModeChange }
  | { kind: 'aborted'; change: ModeChange; refusals: { tractorId: string; reason: string }[] };

export class ModeCoordinator {
  private current: ModeChange | null = null;
  private nextId = 1;
  private lastCommit: { mode: AutonomyMode; targets: string[]; atMs: number } | null = null;

  constructor(private readonly replyTimeoutMs = MODE_REPLY_TIMEOUT_MS) {}

  /** Starts a change, or says why not (another is under way, nothing to switch). */
  request(
    scope: string,
    targets: readonly string[],
    mode: AutonomyMode,
    nowMs: number,
    requestedBy: string,
  ): { ok: true; change: ModeChange } | { ok: false; reason: string } {
    if (this.current)
      return { ok: false, reason: `a change to ${this.current.mode} is still under way` };
    if (targets.length === 0) return { ok: false, reason: 'no tractor to switch' };
    const change: ModeChange = {
      requestId: this.nextId++,
      mode,
      scope,
      requestedBy,
      startedAtMs: nowMs,
      replies: new Map(targets.map((id) => [id, null])),
    };
    this.current = change;
    return { ok: true, change };
  }

  pending(): ModeChange | null {
    return this.current;
  }

  /** A tractor's answer; returns the outcome when this answer decides the change. */
  reply(
    tractorId: string,
    requestId: number,
    accepted: boolean,
    reason: string,
    nowMs: number,
  ): ModeOutcome | null {
    const change = this.current;
    if (change?.requestId !== requestId || !change.replies.has(tractorId)) return null;
    if (change.replies.get(tractorId) !== null) return null;
    change.replies.set(tractorId, { accepted, reason });
    if (!accepted) return this.finish({ kind: 'aborted', change, refusals: this.refusals(change) });
    if ([...change.replies.values()].every((r) => r?.accepted === true)) {
      this.lastCommit = { mode: change.mode, targets: [...change.replies.keys()], atMs: nowMs };
      return this.finish({ kind: 'committed', change });
    }
    return null;
  }

  /** Aborts a change whose answers have not all come in time. */
  tick(nowMs: number): ModeOutcome | null {
    const change = this.current;
    if (!change || nowMs - change.startedAtMs < this.replyTimeoutMs) return null;
    for (const [id, reply] of change.replies)
      if (reply === null) change.replies.set(id, { accepted: false, reason: 'no answer' });
    return this.finish({ kind: 'aborted', change, refusals: this.refusals(change) });
  }

  /** Tractors that should by now report the committed mode but do not. */
  mismatched(reported: ReadonlyMap<string, AutonomyMode>, nowMs: number): string[] {
    const commit = this.lastCommit;
    if (!commit || nowMs - commit.atMs < MODE_SETTLE_MS) return [];
    return commit.targets.filter((id) => {
      const mode = reported.get(id);
      return mode !== undefined && mode !== commit.mode;
    });
  }

  private refusals(change: ModeChange): { tractorId: string; reason: string }[] {
    return [...change.replies]
      .filter(([, r]) => r !== null && !r.accepted)
      .map(([tractorId, r]) => ({ tractorId, reason: r?.reason ?? '' }));
  }

  private finish(outcome: ModeOutcome): ModeOutcome {
    this.current = null;
    return outcome;
  }
}
