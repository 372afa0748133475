/**
 * Exports rendered in a thread of their own (export-worker.ts), one after another: reading a
 * long job and folding its coverage takes seconds of synchronous work, which on the station's
 * main thread held back everything else it does (the UI, the document, and — before the safety
 * core had its own process — the heartbeats). The thread starts with the first export and ends
 * with close(); a thread that fails fails the exports in flight, and the next one starts anew.
 */
import { parseWith } from '../../shared/index.js';
import { RequestThread } from '../threads/index.js';
import type { ExportDownload } from './export-download.js';
import { ExportError } from './export-error.js';
import type { ExportFormat } from './export-job.js';
import { exportReplySchema, type ExportReply, type ExportRequest } from './export-messages.js';

export class ExportThread {
  private readonly thread = new RequestThread<Omit<ExportRequest, 'id'>, ExportReply>({
    besides: import.meta.url,
    moduleName: 'export-worker',
    what: 'export',
    parseReply: (raw) => {
      const parsed = parseWith(exportReplySchema, raw);
      return parsed.ok ? parsed.value : null;
    },
    failure: (message) => new ExportError('io', message),
  });

  async export(
    dataDir: string,
    jobId: string,
    format: ExportFormat,
    softwareVersion: string,
  ): Promise<ExportDownload> {
    const reply = await this.thread.request({ dataDir, jobId, format, softwareVersion });
    if (reply.ok) return reply.file;
    throw new ExportError(reply.problem, reply.message);
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
