/**
 * The work a busy-station trial throws at the station's main thread (bench/safety-busy.ts), each
 * as the outside world makes it: an operator's burst of drags, downloads from the Jobs tab, a
 * crowd of pages, a large document update from another machine, and a synthetic block.
 */
import WebSocket from 'ws';
import {
  crowdOfPages,
  sendSyncMessage,
  updateOfUnknownRoot,
} from '../electron/commands/test-helpers/station-load.js';
import type { StationRuntime } from '../electron/runtime/index.js';

export const BLOCK_MS = 2_000;
export const DRAGS = 50;
export const EXPORTS = 10;
export const PAGES = 200;
export const PAGES_OPEN_MS = 2_000;
/** Operations in the large document update: about 10 MB on the wire. */
const UPDATE_KEYS = 250_000;

export function busyLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* the station's main thread does nothing else */
  }
}

/**
 * An operator's page, open before the load begins, that drags every section to another tractor
 * and back: fifty commands sent at once over the bridge (GET /api/ws), as a page sends them.
 */
export interface DragPage {
  /** Sends the drags and resolves once every one is answered. */
  drag(): Promise<void>;
  close(): void;
}

export async function openDragPage(runtime: StationRuntime): Promise<DragPage> {
  const token = runtime.tokens.tokenOf('operator');
  const ws = new WebSocket(`ws://127.0.0.1:${runtime.port ?? 0}/api/ws?token=${token}`);
  let answered = 0;
  let allAnswered: () => void = () => undefined;
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { op?: string };
    if (message.op === 'result' && ++answered === DRAGS) allAnswered();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    drag: () => {
      const snapshot = runtime.station.snapshot();
      // Only machines the plan holds can take sections (a drag to another is refused).
      const ids = snapshot.tractors.filter((t) => t.sectionIds.length > 0).map((t) => t.id);
      answered = 0;
      const done = new Promise<void>((resolve) => (allAnswered = resolve));
      for (let i = 0; i < DRAGS; i++) {
        const sections = snapshot.sections.filter(
          (_, k) => k % DRAGS === i % snapshot.sections.length,
        );
        const command = {
          type: 'assignSections',
          sectionIds: sections.map((s) => s.id),
          tractorId: ids[i % Math.max(1, ids.length)] ?? '',
        };
        ws.send(JSON.stringify({ op: 'command', id: i + 1, command }));
      }
      return done;
    },
    close: () => ws.close(),
  };
}

/**
 * Ten downloads at once of job `jobId`'s export from the Jobs tab (GET /api/export), the
 * operator's path: the station renders them in its export thread, one at a time, and refuses
 * what would wait too long.
 */
export async function exports(runtime: StationRuntime, jobId: string): Promise<void> {
  const token = runtime.tokens.tokenOf('viewer');
  const base = `http://127.0.0.1:${runtime.port ?? 0}/api/export/${encodeURIComponent(jobId)}`;
  const statuses = await Promise.all(
    Array.from({ length: EXPORTS }, async (_, i) => {
      try {
        const response = await fetch(`${base}?format=${i % 2 ? 'shapefile' : 'isoxml'}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await response.arrayBuffer();
        return response.status;
      } catch (error) {
        // fetch says only 'fetch failed'; what the socket did is in its cause.
        const cause = error instanceof Error ? error.cause : undefined;
        throw new Error(
          `bench: export download ${i + 1} of ${EXPORTS} failed: ${String(cause ?? error)}`,
          { cause: error },
        );
      }
    }),
  );
  if (!statuses.includes(200))
    throw new Error(`bench: no export was served (${statuses.join(' ')})`);
}

/** 200 pages asking for the bridge from four loopback addresses, open for a while. */
export async function pages(runtime: StationRuntime): Promise<void> {
  const token = runtime.tokens.tokenOf('viewer');
  await crowdOfPages(
    PAGES,
    () => `ws://127.0.0.1:${runtime.port ?? 0}/api/ws?token=${token}`,
    PAGES_OPEN_MS,
  );
}

let bigUpdateMessage: Uint8Array | undefined;

/**
 * The ~10 MB update, built once before the trials: building it takes the benchmark's thread
 * (the station's main thread) seconds, which a sender on another machine would not cost it.
 */
export function bigUpdate(): Uint8Array {
  bigUpdateMessage ??= updateOfUnknownRoot(UPDATE_KEYS, (i) => `value-${i}-padding-padding`);
  return bigUpdateMessage;
}

/** A document update of about 10 MB over /sync (a root the job does not have: refused). */
export async function sendUpdate(runtime: StationRuntime, message: Uint8Array): Promise<void> {
  const token = runtime.tokens.tokenOf('operator');
  const url = `ws://127.0.0.1:${runtime.port ?? 0}/sync/${runtime.station.jobId}?token=${token}`;
  await sendSyncMessage(url, message, 10_000);
}
