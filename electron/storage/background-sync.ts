/**
 * fdatasync for files appended to by a thread that must never wait on another (the safety
 * core's outbox). Node's asynchronous fdatasync runs on the shared thread pool, and taking the
 * finished work back makes the asking thread wait for a lock the pool's threads hold — on a
 * loaded machine for as long as the scheduler leaves them without a core. Here a thread of its
 * own syncs each registered file when asked, and the asking thread only reads and writes
 * integers in shared memory: no lock, no thread pool, no wake-up of its own.
 */
import { Worker } from 'node:worker_threads';

const MAX_FILES = 64;
/** Per file: its descriptor, syncs asked, syncs done, and the last error's code. */
const FIELDS = 4;
const FD = 0;
const ASKED = 1;
const DONE = 2;
const ERROR = 3;
/** A place no file holds. */
const FREE = -1;
/**
 * A place its file gave back. Only the syncing thread frees it, once it is sure to be done with
 * the old descriptor, so what it writes of an old sync never reaches the next file's place.
 */
const RELEASED = -2;
/** How often the syncing thread looks for work: the most a sync waits before it starts. */
const POLL_MS = 5;

/** Error codes the syncing thread reports (the others count as EIO). */
const ERROR_NAMES = ['', 'EIO', 'ENOSPC', 'EDQUOT', 'EBADF', 'EROFS'];

// Plain JavaScript, so the thread starts without a loader for TypeScript.
const SYNCER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { fdatasyncSync } = require('node:fs');
const cells = new Int32Array(workerData.shared);
const names = ${JSON.stringify(ERROR_NAMES)};
setInterval(() => {
  for (let i = 0; i < ${MAX_FILES}; i++) {
    const base = i * ${FIELDS};
    const fd = Atomics.load(cells, base + ${FD});
    if (fd === ${RELEASED}) Atomics.store(cells, base + ${FD}, ${FREE});
    if (fd < 0) continue;
    const asked = Atomics.load(cells, base + ${ASKED});
    if (asked === Atomics.load(cells, base + ${DONE})) continue;
    try {
      fdatasyncSync(fd);
    } catch (error) {
      const code = names.indexOf(error && error.code);
      Atomics.store(cells, base + ${ERROR}, code > 0 ? code : 1);
    }
    Atomics.store(cells, base + ${DONE}, asked);
  }
}, ${POLL_MS});
`;

/** One file's place with the syncing thread. */
export interface SyncSlot {
  /** Asks for a sync covering everything written so far; returns at once. */
  ask(): void;
  /** Syncs asked for and not yet done. */
  pending(): boolean;
  /** The error the disk gave a sync, or null. */
  failure(): string | null;
  /** Gives the place back (the file is about to be closed). */
  release(): void;
}

class BackgroundSyncer {
  private readonly cells = new Int32Array(
    new SharedArrayBuffer(MAX_FILES * FIELDS * Int32Array.BYTES_PER_ELEMENT),
  );
  private readonly worker: Worker;

  constructor() {
    for (let i = 0; i < MAX_FILES; i++) this.cells[i * FIELDS + FD] = FREE;
    this.worker = new Worker(SYNCER_SOURCE, {
      eval: true,
      workerData: { shared: this.cells.buffer },
    });
    this.worker.unref();
  }

  register(fd: number): SyncSlot | null {
    const { cells } = this;
    for (let i = 0; i < MAX_FILES; i++) {
      const base = i * FIELDS;
      if (Atomics.load(cells, base + FD) !== FREE) continue;
      Atomics.store(cells, base + ASKED, 0);
      Atomics.store(cells, base + DONE, 0);
      Atomics.store(cells, base + ERROR, 0);
      Atomics.store(cells, base + FD, fd);
      return {
        ask: () => void Atomics.add(cells, base + ASKED, 1),
        pending: () => Atomics.load(cells, base + ASKED) !== Atomics.load(cells, base + DONE),
        failure: () => {
          const code = Atomics.load(cells, base + ERROR);
          return code === 0 ? null : (ERROR_NAMES[code] ?? 'EIO');
        },
        release: () => void Atomics.store(cells, base + FD, RELEASED),
      };
    }
    return null;
  }
}

/** One syncing thread per thread that asks for one (shared memory is per thread's own). */
let syncer: BackgroundSyncer | undefined;

/** A place with this thread's syncing thread for `fd`, or null when all places are taken. */
export function registerForBackgroundSync(fd: number): SyncSlot | null {
  syncer ??= new BackgroundSyncer();
  return syncer.register(fd);
}
