/**
 * Requests answered by a worker thread of their own (a module beside the caller's), for work
 * that would hold the station's main thread for seconds: each request gets an id, its reply is
 * validated where it arrives, and one thread serves them in turn. The thread starts with the
 * first request; if it fails, or a request outlives its time limit (the thread is then ended),
 * every request in flight fails with a clear reason and the next request starts a new thread.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from './worker-launch.js';

export interface RequestThreadSpec<Reply extends { id: number }> {
  /** The caller's import.meta.url: the worker module sits beside it. */
  besides: string;
  /** The worker module's name without its extension. */
  moduleName: string;
  /** What the work is called in errors ("the export thread failed: …"). */
  what: string;
  /** The reply as sent by the thread, or null when it is not one. */
  parseReply(raw: unknown): Reply | null;
  /** The error a request fails with when the thread cannot answer it. */
  failure(message: string): Error;
}

interface Pending<Reply> {
  resolve(reply: Reply): void;
  reject(error: Error): void;
  cancelTimer: () => void;
}

export class RequestThread<Request extends object, Reply extends { id: number }> {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending<Reply>>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly spec: RequestThreadSpec<Reply>) {}

  /** Sends `request` (with an id added) and resolves with the thread's reply to it. */
  request(request: Request, timeLimitMs?: number): Promise<Reply> {
    if (this.closed) return Promise.reject(this.spec.failure('the station is shutting down'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      let cancelTimer = (): void => undefined;
      if (timeLimitMs !== undefined) {
        const timer = setTimeout(
          () => void this.end(`the ${this.spec.what} took longer than ${timeLimitMs / 1000} s`),
          timeLimitMs,
        );
        timer.unref();
        cancelTimer = () => clearTimeout(timer);
      }
      this.pending.set(id, { resolve, reject, cancelTimer });
      this.thread().postMessage({ ...request, id });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.end('the station is shutting down');
  }

  /** Ends the thread, failing every request in flight with `reason`. */
  private async end(reason: string): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failAll(this.spec.failure(reason));
    await worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(this.spec.besides, this.spec.moduleName, null);
    worker.unref();
    worker.on('message', (raw: unknown) => {
      const reply = this.spec.parseReply(raw);
      if (!reply) return;
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      pending?.cancelTimer();
      pending?.resolve(reply);
    });
    const lost = (error: Error): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(this.spec.failure(`the ${this.spec.what} thread failed: ${error.message}`));
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`it ended (exit ${code})`)));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) {
      pending.cancelTimer();
      pending.reject(error);
    }
    this.pending.clear();
  }
}
