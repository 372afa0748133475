import { closeSync, openSync } from 'node:fs';
import { writeFully } from './durable-file.js';

export interface BatchedFileOptions {
  /** The file could not be written (a full disk): writing stops, the caller goes on. */
  onError?: (message: string) => void;
  /** Bytes are written at most this long after they were added… */
  flushEveryMs?: number;
  /** …or as soon as this many are waiting. */
  flushBytes?: number;
}

const FLUSH_EVERY_MS = 100;
const FLUSH_BYTES = 64 * 1024;

/**
 * A file written in batches with plain system calls by the thread that fills it, for a thread
 * that must never wait on another (the safety core's capture, a timing instrument's log).
 * Node's asynchronous file writes hand each batch to the shared thread pool, and taking the
 * finished work back makes the writing thread wait for a lock the pool's threads hold; on a
 * loaded machine they may hold it for as long as the scheduler leaves them without a core.
 * Not durable: a batch not yet written is lost with the process.
 */
export class BatchedFile {
  private fd: number;
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly flushBytes: number;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    readonly path: string,
    private readonly options: BatchedFileOptions = {},
  ) {
    this.fd = openSync(path, 'w');
    this.flushBytes = options.flushBytes ?? FLUSH_BYTES;
    this.timer = setInterval(() => this.flush(), options.flushEveryMs ?? FLUSH_EVERY_MS);
    this.timer.unref();
  }

  /** Adds bytes (copied) to the next batch; never throws for a write that failed. */
  add(data: string | Uint8Array): void {
    if (this.fd < 0) return;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= this.flushBytes) this.flush();
  }

  flush(): void {
    if (this.fd < 0 || this.pendingBytes === 0) return;
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    this.pending.length = 0;
    this.pendingBytes = 0;
    try {
      writeFully(this.fd, chunk);
    } catch (error) {
      closeSync(this.fd);
      this.fd = -1;
      const reason = error instanceof Error ? error.message : String(error);
      this.options.onError?.(`${this.path}: ${reason}; writing stopped`);
    }
  }

  /** Writes what waits and closes the file. */
  close(): void {
    clearInterval(this.timer);
    this.flush();
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
