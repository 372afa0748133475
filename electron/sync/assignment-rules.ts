/**
 * Assignment conflict rule (docs/sync-schema.md, "Conflict rules"). Every assignment is an
 * append-only claim; a claim lists the claims it saw as current (`seen`), which it supersedes.
 * The claims no other claim supersedes are the section's frontier. The effective assignment is
 * the frontier claim with the greatest (HLC stamp, station id): the latest deliberate decision,
 * where "latest" respects causality because an HLC stamp always exceeds those its writer saw.
 * Every other frontier claim was made concurrently without knowledge of the winner: it lost,
 * and its operator is told (an AssignmentConflict), until someone reassigns the section.
 */
import { compareHlc } from './hlc.js';
import type { AssignmentClaim } from './schema.js';

export interface AssignmentConflict {
  readonly sectionId: string;
  readonly winner: AssignmentClaim;
  readonly loser: AssignmentClaim;
}

export interface SectionResolution {
  readonly winner: AssignmentClaim;
  readonly frontier: readonly AssignmentClaim[];
  readonly conflicts: readonly AssignmentConflict[];
}

export function compareClaims(a: AssignmentClaim, b: AssignmentClaim): number {
  const byHlc = compareHlc(a.hlc, b.hlc);
  if (byHlc !== 0) return byHlc;
  if (a.stationId !== b.stationId) return a.stationId < b.stationId ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Resolves one section's claims; `claims` must all be for the same section (non-empty). */
export function resolveSection(claims: readonly AssignmentClaim[]): SectionResolution | null {
  if (claims.length === 0) return null;
  const superseded = new Set<string>();
  for (const c of claims) for (const k of c.seen) superseded.add(k);
  const frontier = claims.filter((c) => !superseded.has(c.key)).sort(compareClaims);
  // A frontier is never empty unless `seen` lists form a cycle, which honest writers cannot
  // produce (a claim only sees older keys); fall back to all claims so one still wins.
  const candidates = frontier.length > 0 ? frontier : [...claims].sort(compareClaims);
  const winner = candidates.at(-1);
  if (!winner) return null;
  const conflicts = candidates
    .slice(0, -1)
    .map((loser) => ({ sectionId: winner.sectionId, winner, loser }));
  return { winner, frontier: candidates, conflicts };
}

/** Groups claims by section and resolves each. */
export function resolveAssignments(
  claims: Iterable<AssignmentClaim>,
): Map<string, SectionResolution> {
  const bySection = new Map<string, AssignmentClaim[]>();
  for (const c of claims) {
    const list = bySection.get(c.sectionId);
    if (list) list.push(c);
    else bySection.set(c.sectionId, [c]);
  }
  const out = new Map<string, SectionResolution>();
  for (const [sectionId, list] of bySection) {
    const r = resolveSection(list);
    if (r) out.set(sectionId, r);
  }
  return out;
}
