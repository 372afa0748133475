/**
 * What a release the operator confirmed will do, decided before anything is sent: every machine
 * it names released from every stop that holds it (or from the one stop it names), or a refusal
 * that names each machine it cannot release and why. A release never acts on part of its list.
 */
import type { ActiveStop, StopCoordinator } from '../safety-core/index.js';

export interface ReleaseRequest {
  /** Release from this stop only; every stop that holds a named machine when omitted. */
  stopId?: string | undefined;
  /** The machines to release; every machine the named stop holds when omitted. */
  tractorIds?: readonly string[] | undefined;
}

export interface ReleasePair {
  stop: ActiveStop;
  tractorId: string;
}

export type ReleasePlan =
  | { ok: true; pairs: ReleasePair[]; tractorIds: string[] }
  | { ok: false; code: 'not-found' | 'refused' | 'invalid'; message: string };

export function planRelease(
  stops: StopCoordinator,
  request: ReleaseRequest,
  nameOf: (tractorId: string) => string,
): ReleasePlan {
  const { stopId, tractorIds } = request;
  if (stopId === undefined && (tractorIds === undefined || tractorIds.length === 0))
    return { ok: false, code: 'invalid', message: 'name a stop or the machines to release' };
  const only = stopId === undefined ? undefined : stops.get(stopId);
  if (stopId !== undefined && !only)
    return { ok: false, code: 'not-found', message: `no active stop ${stopId}` };
  const targets = [...new Set(tractorIds ?? [...(only?.tractors.keys() ?? [])])];
  const pairs: ReleasePair[] = [];
  const problems: string[] = [];
  for (const tractorId of targets) {
    const holding = only
      ? [only].filter((s) => s.tractors.has(tractorId))
      : stops.holding(tractorId);
    if (holding.length === 0) {
      problems.push(
        `${nameOf(tractorId)} (${only ? `not held by ${only.id}` : 'held by no stop'})`,
      );
      continue;
    }
    if (holding.some((s) => s.tractors.get(tractorId)?.status === 'sent')) {
      problems.push(`${nameOf(tractorId)} (not yet confirmed stopped)`);
      continue;
    }
    for (const stop of holding) pairs.push({ stop, tractorId });
  }
  if (problems.length > 0)
    return { ok: false, code: 'refused', message: `nothing released: ${problems.join(', ')}` };
  return { ok: true, pairs, tractorIds: targets };
}
