/** Shared builders for sync tests: a small field job and replicas wired by plain updates. */
import * as Y from 'yjs';
import { ManualClock } from '../../time/index.js';
import { type Actor, type JobInit, JobDoc } from '../job-doc.js';
import type { SwathSegment } from '../coverage-codec.js';

export const FIELD_BOUNDARY: [number, number][][] = [
  [
    [10.0, 52.0],
    [10.01, 52.0],
    [10.01, 52.01],
    [10.0, 52.01],
    [10.0, 52.0],
  ],
  [
    [10.004, 52.004],
    [10.005, 52.004],
    [10.005, 52.005],
    [10.004, 52.004],
  ],
];

export function sampleJobInit(
  sectionCount = 4,
  tractorIds: readonly string[] = ['t1', 't2'],
): JobInit {
  const sections = Array.from({ length: sectionCount }, (_, i) => ({
    id: `s${i + 1}`,
    name: `Section ${i + 1}`,
    polygon: [
      [
        [10 + i * 0.001, 52.0],
        [10 + (i + 1) * 0.001, 52.0],
        [10 + (i + 1) * 0.001, 52.01],
        [10 + i * 0.001, 52.01],
      ] as [number, number][],
    ],
    areaM2: 7_000,
  }));
  const assignments: Record<string, string> = {};
  sections.forEach((s, i) => {
    const t = tractorIds[i % tractorIds.length];
    if (t) assignments[s.id] = t;
  });
  return {
    jobId: 'job-1',
    name: 'North field',
    boundary: FIELD_BOUNDARY,
    frameOrigin: [10.0, 52.0],
    sections,
    assignments,
  };
}

export const station = (id = 'st1'): Actor => ({ role: 'station', id });
export const tractor = (id: string): Actor => ({ role: 'tractor', id });

/** A station replica holding a fresh job, and a way to clone replicas from it. */
export function createStationJob(clock = new ManualClock(), init = sampleJobInit()): JobDoc {
  return JobDoc.create(init, { actor: station(), clock });
}

export function replicaOf(source: JobDoc, actor: Actor, clock = new ManualClock()): JobDoc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source.doc), 'test-clone');
  return new JobDoc({ actor, clock, doc });
}

/** Exchanges full state both ways (a healed partition). */
export function syncPair(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'test-sync');
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'test-sync');
}

export function segment(tMs: number, x0M: number, y0M = 0, lengthM = 10, widthM = 6): SwathSegment {
  return { tMs, durationMs: 4_000, x0M, y0M, x1M: x0M + lengthM, y1M: y0M, widthM };
}

/** The update one transaction in `doc` produces. */
export function captureUpdate(doc: Y.Doc, fn: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.transact(fn, 'test-raw');
  return Y.encodeStateAsUpdate(doc, before);
}

/** A raw Yjs clone of a replica, for writing updates the typed API would refuse. */
export function rawClone(source: Y.Doc, clientID?: number): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  // Set after loading: Yjs picks a new client id when a remote update carries its own.
  if (clientID !== undefined) doc.clientID = clientID;
  return doc;
}

export function hasPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}
