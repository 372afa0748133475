/**
 * Where the safety audit log's anchor is kept apart from the log, read without changing anything
 * (for `headland audit verify`): the job record, and the shared document of every job in the
 * store (read from a copy, as the exporter does, so a running station is not disturbed).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditAnchor } from '../safety/index.js';
import { JobDoc } from '../sync/index.js';
import { ManualClock } from '../time/index.js';
import { ExportError } from './export-error.js';
import { SYNC_FILE, openStoreCopy, readRecord } from './job-reader.js';

export interface KeptAnchor {
  /** Where it was read: `job record`, or `document of <job id>`. */
  source: string;
  anchor: AuditAnchor;
}

export interface AnchorsRead {
  anchors: KeptAnchor[];
  /** Places that could not be read (damaged record or store). */
  unreadable: string[];
}

export async function readAuditAnchors(dataDir: string): Promise<AnchorsRead> {
  const anchors: KeptAnchor[] = [];
  const unreadable: string[] = [];
  try {
    const record = readRecord(dataDir);
    if (record?.auditAnchor) anchors.push({ source: 'job record', anchor: record.auditAnchor });
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
    unreadable.push(error.message);
  }
  const dbPath = join(dataDir, SYNC_FILE);
  if (!existsSync(dbPath)) return { anchors, unreadable };
  let opened: Awaited<ReturnType<typeof openStoreCopy>>;
  try {
    opened = await openStoreCopy(dbPath);
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
    unreadable.push(error.message);
    return { anchors, unreadable };
  }
  try {
    for (const jobId of opened.store.jobs()) {
      const { doc } = opened.store.load(jobId);
      const job = new JobDoc({
        actor: { role: 'tractor', id: 'audit' },
        clock: new ManualClock(),
        doc,
      });
      const anchor = job.auditAnchor();
      if (anchor)
        anchors.push({
          source: `document of ${jobId}`,
          anchor: { count: anchor.count, lastHash: anchor.lastHash },
        });
      job.destroy();
      doc.destroy();
    }
  } finally {
    opened.store.close();
    opened.dispose();
  }
  return { anchors, unreadable };
}
