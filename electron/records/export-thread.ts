/**
 * Exports rendered in a thread of their own (export-worker.ts), one after another: reading a
 * long job and folding its coverage takes seconds of synchronous work, which on the station's
 * main thread held back everything else it does (the UI, the document, and — before the safety
 * core had its own thread — the heartbeats). The thread starts with the first export and ends
 * with close(); a thread that fails fails the exports in flight, and the next one starts anew.
 */
import type { Worker } from 'node:worker_threads';
import { parseWith } from '../../shared/index.js';
import { startWorker } from '../threads/index.js';
import type { ExportDownload } from './export-download.js';
import { ExportError } from './export-error.js';
import type { ExportFormat } from './export-job.js';
import { exportReplySchema, type ExportRequest } from './export-messages.js';

interface Pending {
  resolve(file: ExportDownload): void;
  reject(error: Error): void;
}

export class ExportThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  export(
    dataDir: string,
    jobId: string,
    format: ExportFormat,
    softwareVersion: string,
  ): Promise<ExportDownload> {
    if (this.closed) return Promise.reject(new ExportError('io', 'the station is shutting down'));
    const id = this.nextId++;
    const request: ExportRequest = { id, dataDir, jobId, format, softwareVersion };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.thread().postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.failAll(new ExportError('io', 'the station is shutting down'));
    await worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(import.meta.url, 'export-worker', null);
    worker.unref();
    worker.on('message', (raw: unknown) => {
      const parsed = parseWith(exportReplySchema, raw);
      if (!parsed.ok) return;
      const reply = parsed.value;
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!pending) return;
      if (reply.ok) pending.resolve(reply.file);
      else pending.reject(new ExportError(reply.problem, reply.message));
    });
    const lost = (error: Error): void => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new ExportError('io', `the export thread failed: ${error.message}`));
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`it ended (exit ${code})`)));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
