/**
 * The job document's assignment claims, parsed once as they arrive and kept per section, so a
 * section's holder is resolved from the claims already read: re-reading every claim per
 * transaction would cost O(claims) on every assignment. It tells its listeners once of each
 * conflict a concurrent claim lost.
 */
import type * as Y from 'yjs';
import {
  type AssignmentConflict,
  resolveSection,
  type SectionResolution,
} from './assignment-rules.js';
import { readClaims } from './job-read.js';
import { type AssignmentClaim, assignmentClaimSchema } from './schema.js';

export class ClaimIndex {
  private readonly bySection = new Map<string, Map<string, AssignmentClaim>>();
  private readonly reported = new Set<string>();
  private readonly listeners = new Set<(c: AssignmentConflict) => void>();
  private readonly onChange = (event: Y.YMapEvent<unknown>): void => {
    const touched = new Set<string>();
    for (const key of event.keysChanged as Set<string>) {
      const parsed = assignmentClaimSchema.safeParse(this.claims.get(key));
      if (parsed.success && parsed.data.key === key) {
        this.add(parsed.data);
        touched.add(parsed.data.sectionId);
      }
    }
    this.reportConflicts(touched);
  };

  constructor(
    doc: Y.Doc,
    private readonly claims: Y.Map<unknown>,
    /** Every claim indexed (the document's clock observes its stamp). */
    private readonly seen: (claim: AssignmentClaim) => void,
  ) {
    for (const claim of readClaims(doc)) this.add(claim);
    for (const conflict of this.conflicts()) this.reported.add(conflictKey(conflict));
    claims.observe(this.onChange);
  }

  /** How a section's claims resolve now (null: none). */
  resolution(sectionId: string): SectionResolution | null {
    return resolveSection([...(this.bySection.get(sectionId)?.values() ?? [])]);
  }

  /** Section → tractor for every section `hasSection` admits. */
  holders(hasSection: (sectionId: string) => boolean): Record<string, string> {
    const out: Record<string, string> = {};
    for (const sectionId of this.bySection.keys()) {
      if (!hasSection(sectionId)) continue;
      const tractorId = this.resolution(sectionId)?.winner.tractorId;
      if (tractorId) out[sectionId] = tractorId;
    }
    return out;
  }

  conflicts(): AssignmentConflict[] {
    return [...this.bySection.keys()].flatMap((id) => this.resolution(id)?.conflicts ?? []);
  }

  onConflict(cb: (conflict: AssignmentConflict) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  destroy(): void {
    this.claims.unobserve(this.onChange);
    this.listeners.clear();
  }

  private add(claim: AssignmentClaim): void {
    this.seen(claim);
    let claims = this.bySection.get(claim.sectionId);
    if (!claims) {
      claims = new Map();
      this.bySection.set(claim.sectionId, claims);
    }
    claims.set(claim.key, claim);
  }

  private reportConflicts(sections: ReadonlySet<string>): void {
    for (const sectionId of sections) {
      for (const conflict of this.resolution(sectionId)?.conflicts ?? []) {
        const key = conflictKey(conflict);
        if (this.reported.has(key)) continue;
        this.reported.add(key);
        for (const cb of this.listeners) cb(conflict);
      }
    }
  }
}

function conflictKey(c: AssignmentConflict): string {
  return `${c.loser.key}>${c.winner.key}`;
}
