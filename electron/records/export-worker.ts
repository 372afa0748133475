/**
 * The export thread (started by export-thread.ts): renders one job of a data folder as one file,
 * away from the station's main thread, where reading the job and folding its coverage held the
 * loop for seconds on a long job.
 */
import { isMainThread, parentPort, type MessagePort } from 'node:worker_threads';
import { parseWith } from '../../shared/index.js';
import { exportDownload } from './export-download.js';
import { ExportError } from './export-error.js';
import { exportRequestSchema, type ExportReply } from './export-messages.js';

function serve(port: MessagePort): void {
  port.on('message', (raw: unknown) => {
    const parsed = parseWith(exportRequestSchema, raw);
    if (!parsed.ok) return;
    const { id, dataDir, jobId, format, softwareVersion } = parsed.value;
    exportDownload(dataDir, jobId, format, softwareVersion).then(
      (file) => {
        const reply: ExportReply = { id, ok: true, file };
        // Copied, not transferred: the bytes may be a view on a buffer shared with others.
        port.postMessage(reply);
      },
      (error: unknown) => {
        const reply: ExportReply = {
          id,
          ok: false,
          problem: error instanceof ExportError ? error.problem : 'io',
          message: error instanceof Error ? error.message : String(error),
        };
        port.postMessage(reply);
      },
    );
  });
}

if (!isMainThread && parentPort) serve(parentPort);
