/**
 * Keeps a replica's store in step with its doc: every doc update (local or validated remote)
 * is appended before the transaction's observers return, and the log is compacted every
 * `compactEvery` updates. Loading uses its own origin so replayed updates are not re-logged.
 */
import * as Y from 'yjs';
import type { Clock } from '../time/index.js';
import { type Actor, type JobInit, JobDoc } from './job-doc.js';
import type { LoadReport, UpdateStore } from './update-store.js';

export const STORE_LOAD_ORIGIN = 'update-store:load';
export const DEFAULT_COMPACT_EVERY = 2_000;

export interface PersistedJob {
  readonly doc: Y.Doc;
  readonly report: LoadReport;
  /** Compacts now (also done automatically). */
  compact(): void;
  /** Stops logging (the doc stays usable). */
  detach(): void;
}

export function openPersistedJob(
  store: UpdateStore,
  jobId: string,
  options: { compactEvery?: number; doc?: Y.Doc } = {},
): PersistedJob {
  const { doc, report } = store.load(jobId, options.doc ?? new Y.Doc(), STORE_LOAD_ORIGIN);
  const compactEvery = options.compactEvery ?? DEFAULT_COMPACT_EVERY;
  let sinceCompaction = 0;
  const compact = (): void => {
    // A doc with pending structs cannot stand for the log: keep the log as it is.
    if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) return;
    store.compact(jobId, doc);
    sinceCompaction = 0;
  };
  const onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === STORE_LOAD_ORIGIN) return;
    store.append(jobId, update);
    if (++sinceCompaction >= compactEvery) compact();
  };
  doc.on('update', onUpdate);
  return { doc, report, compact, detach: () => doc.off('update', onUpdate) };
}

export interface OpenJobOptions {
  readonly actor: Actor;
  readonly clock: Clock;
  readonly compactEvery?: number;
}

/**
 * The station's start-up path: reopen the job from the store when it is there (restart with
 * the job intact), else create it from `init`. Either way every later change is logged.
 */
export function openOrCreateJob(
  store: UpdateStore,
  init: JobInit,
  options: OpenJobOptions,
): { job: JobDoc; persisted: PersistedJob; created: boolean } {
  const exists = store.jobs().includes(init.jobId);
  const persisted = openPersistedJob(
    store,
    init.jobId,
    options.compactEvery === undefined ? {} : { compactEvery: options.compactEvery },
  );
  const jobOptions = { actor: options.actor, clock: options.clock, doc: persisted.doc };
  const job = exists ? new JobDoc(jobOptions) : JobDoc.create(init, jobOptions);
  return { job, persisted, created: !exists };
}
