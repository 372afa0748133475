/**
 * Plain-data reads of a job document. Everything returned is a fresh copy of validated data:
 * no Yjs type leaves this folder, and a value that fails its schema (it cannot pass the
 * validator, but a hand-edited store could hold one) is skipped rather than trusted.
 */
import * as Y from 'yjs';
import { type AssignmentConflict, resolveAssignments } from './assignment-rules.js';
import { causalOrder } from './causality.js';
import { compareHlc } from './hlc.js';
import { type SwathSegment, batchSegmentCount, decodeSegments } from './coverage-codec.js';
import {
  type Alert,
  type AlertAck,
  type AssignmentClaim,
  type EstopRecord,
  type EstopRelease,
  type FieldRevision,
  type JobMode,
  type OpRecord,
  type RootName,
  type Section,
  type SectionState,
  type TractorStatus,
  ROOTS,
  alertAckSchema,
  alertSchema,
  assignmentClaimSchema,
  estopReleaseSchema,
  estopSchema,
  fieldRevisionSchema,
  metaValueSchemas,
  opRecordSchema,
  parseCoverageKey,
  sectionSchema,
  sectionStateSchema,
  tractorStatusSchema,
} from './schema.js';
import type { z } from 'zod';

export interface SectionView extends Section {
  readonly state: SectionState;
  /** The effective assignment, or null when unassigned. */
  readonly tractorId: string | null;
  readonly assignment: AssignmentClaim | null;
}

export interface JobSnapshot {
  readonly jobId: string;
  readonly name: string;
  readonly createdAtMs: number;
  readonly frameOrigin: readonly [number, number];
  readonly jobMode: { mode: JobMode; by: string; atMs: number; reason: string } | null;
  readonly field: FieldRevision | null;
  readonly fieldRevisions: readonly FieldRevision[];
  readonly sections: readonly SectionView[];
  readonly conflicts: readonly AssignmentConflict[];
  readonly tractors: Readonly<Record<string, TractorStatus>>;
  readonly alerts: readonly (Alert & { ack: AlertAck | null })[];
  readonly estops: readonly (EstopRecord & { release: EstopRelease | null; active: boolean })[];
  readonly coverageSegmentCounts: Readonly<Record<string, number>>;
}

export function rootMap(doc: Y.Doc, root: RootName): Y.Map<unknown> {
  return doc.getMap(root);
}

export function readValues<T>(doc: Y.Doc, root: RootName, schema: z.ZodType<T>): Map<string, T> {
  const out = new Map<string, T>();
  rootMap(doc, root).forEach((value, key) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) out.set(key, parsed.data);
  });
  return out;
}

export function readMeta<K extends keyof typeof metaValueSchemas>(
  doc: Y.Doc,
  key: K,
): z.infer<(typeof metaValueSchemas)[K]> | null {
  const parsed = metaValueSchemas[key].safeParse(rootMap(doc, ROOTS.meta).get(key));
  return parsed.success ? (parsed.data as z.infer<(typeof metaValueSchemas)[K]>) : null;
}

export function readClaims(doc: Y.Doc): AssignmentClaim[] {
  return [...readValues(doc, ROOTS.assignments, assignmentClaimSchema).values()];
}

export function readFieldRevisions(doc: Y.Doc): FieldRevision[] {
  return [...readValues(doc, ROOTS.field, fieldRevisionSchema).values()].sort((a, b) =>
    compareHlc(a.hlc, b.hlc),
  );
}

export function readOps(doc: Y.Doc): OpRecord[] {
  return causalOrder([...readValues(doc, ROOTS.ops, opRecordSchema).values()]);
}

/** Coverage chunk arrays per tractor, in a stable order (writer client, then chunk number). */
export function coverageChunks(
  doc: Y.Doc,
  tractorId?: string,
): { tractorId: string; client: number; chunkNo: number; arr: Y.Array<unknown> }[] {
  const out: { tractorId: string; client: number; chunkNo: number; arr: Y.Array<unknown> }[] = [];
  rootMap(doc, ROOTS.coverage).forEach((value, key) => {
    const k = parseCoverageKey(key);
    if (!k || !(value instanceof Y.Array)) return;
    if (tractorId !== undefined && k.tractorId !== tractorId) return;
    out.push({ ...k, arr: value as Y.Array<unknown> });
  });
  return out.sort((a, b) =>
    a.tractorId < b.tractorId
      ? -1
      : a.tractorId > b.tractorId
        ? 1
        : a.client - b.client || a.chunkNo - b.chunkNo,
  );
}

export function readCoverage(doc: Y.Doc, tractorId: string): SwathSegment[] {
  const out: SwathSegment[] = [];
  for (const chunk of coverageChunks(doc, tractorId)) {
    for (const batch of chunk.arr.toArray()) {
      if (!(batch instanceof Uint8Array)) continue;
      try {
        out.push(...decodeSegments(batch));
      } catch {
        // Cannot pass validation; skipped so one bad batch hides nothing else.
      }
    }
  }
  return out.sort((a, b) => a.tMs - b.tMs);
}

export function readSnapshot(doc: Y.Doc): JobSnapshot {
  const resolutions = resolveAssignments(readClaims(doc));
  const states = readValues(doc, ROOTS.sectionStates, sectionStateSchema);
  const sections = [...readValues(doc, ROOTS.sections, sectionSchema).values()]
    .sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1))
    .map((s): SectionView => {
      const winner = resolutions.get(s.id)?.winner ?? null;
      return {
        ...s,
        state: states.get(s.id)?.state ?? 'pending',
        tractorId: winner?.tractorId ?? null,
        assignment: winner,
      };
    });
  const acks = readValues(doc, ROOTS.alertAcks, alertAckSchema);
  const releases = readValues(doc, ROOTS.estopReleases, estopReleaseSchema);
  const counts: Record<string, number> = {};
  for (const chunk of coverageChunks(doc)) {
    for (const batch of chunk.arr.toArray()) {
      if (batch instanceof Uint8Array)
        counts[chunk.tractorId] = (counts[chunk.tractorId] ?? 0) + batchSegmentCount(batch);
    }
  }
  const revisions = readFieldRevisions(doc);
  return {
    jobId: readMeta(doc, 'jobId') ?? '',
    name: readMeta(doc, 'name') ?? '',
    createdAtMs: readMeta(doc, 'createdAtMs') ?? 0,
    frameOrigin: readMeta(doc, 'frameOrigin') ?? [0, 0],
    jobMode: readMeta(doc, 'jobMode'),
    field: revisions.at(-1) ?? null,
    fieldRevisions: revisions,
    sections,
    conflicts: [...resolutions.values()].flatMap((r) => r.conflicts),
    tractors: Object.fromEntries(readValues(doc, ROOTS.tractors, tractorStatusSchema)),
    alerts: [...readValues(doc, ROOTS.alerts, alertSchema).values()]
      .sort((a, b) => a.atMs - b.atMs)
      .map((a) => ({ ...a, ack: acks.get(a.id) ?? null })),
    estops: [...readValues(doc, ROOTS.estops, estopSchema).values()]
      .sort((a, b) => a.atMs - b.atMs)
      .map((e) => {
        const release = releases.get(e.id) ?? null;
        // Active is derived, never stored: a release record is append-only, so once any
        // replica has it the e-stop cannot come back as active (docs/sync-schema.md).
        return { ...e, release, active: release === null };
      }),
    coverageSegmentCounts: counts,
  };
}
