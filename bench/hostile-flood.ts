/**
 * A flood against a running `headland serve`: many bridge connections that read, one client that
 * asks for snapshots as fast as it can and never reads, one that asks at a steady rate under the
 * request limit and never reads. While it lasts, /api/health is probed and the server's resident
 * memory sampled (Linux /proc).
 */
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { rawWebSocket, type RawWebSocket } from '../electron/server/test-helpers/raw-http.js';

export interface FloodOptions {
  port: number;
  pid: number;
  connections: number;
  durationMs: number;
  /** Snapshot requests the greedy non-reader sends at once. */
  greedyRequests: number;
  /** Requests a second of the steady non-reader (under the bridge's 50/s). */
  steadyPerS: number;
  probeEveryMs: number;
}

export interface FloodResult {
  healthMs: number[];
  healthFailures: number;
  opened: number;
  refused: number;
  peakRssMb: number;
}

/** The resident memory of a process in MB (VmRSS). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) / 1024;
}

/** The server's live JavaScript heap in MB, from its /metrics. */
export async function heapUsedMb(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return (
    Number(/^headland_nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? NaN) / 1024 / 1024
  );
}

export async function healthProbeMs(port: number): Promise<number> {
  const started = performance.now();
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`, {
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return res.status === 200 ? performance.now() - started : Infinity;
  } catch {
    return Infinity;
  }
}

function openBridge(port: number): Promise<WebSocket | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', () => {
      ws.terminate();
      resolve(null);
    });
    ws.once('error', () => resolve(null));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function flood(options: FloodOptions): Promise<FloodResult> {
  const { port, pid } = options;
  const open: WebSocket[] = [];
  let refused = 0;
  let peakRssMb = rssMb(pid);
  const stopAt = performance.now() + options.durationMs;
  const healthMs: number[] = [];
  let healthFailures = 0;
  // Health is probed throughout, one probe at a time.
  const probing = (async () => {
    while (performance.now() < stopAt) {
      const ms = await healthProbeMs(port);
      if (Number.isFinite(ms)) healthMs.push(ms);
      else healthFailures++;
      peakRssMb = Math.max(peakRssMb, rssMb(pid));
      await sleep(options.probeEveryMs);
    }
  })();
  const nonReaders: RawWebSocket[] = [];
  try {
    const greedy = await rawWebSocket(port, '/api/ws');
    greedy.socket.pause();
    greedy.socket.on('error', () => undefined);
    nonReaders.push(greedy);
    for (let id = 0; id < options.greedyRequests; id++)
      greedy.sendText(JSON.stringify({ op: 'snapshot', id }));
    const steady = await rawWebSocket(port, '/api/ws');
    steady.socket.pause();
    steady.socket.on('error', () => undefined);
    nonReaders.push(steady);
    let steadyId = 0;
    const steadyTimer = setInterval(() => {
      if (!steady.socket.destroyed)
        steady.sendText(JSON.stringify({ op: 'snapshot', id: steadyId++ }));
    }, 1_000 / options.steadyPerS);
    for (let batch = 0; batch < options.connections; batch += 50) {
      const sockets = await Promise.all(
        Array.from({ length: Math.min(50, options.connections - batch) }, () => openBridge(port)),
      );
      for (const ws of sockets) {
        if (ws) {
          ws.on('error', () => undefined);
          open.push(ws);
        } else refused++;
      }
    }
    await probing;
    clearInterval(steadyTimer);
  } finally {
    for (const ws of open) ws.terminate();
    for (const c of nonReaders) c.socket.destroy();
  }
  return { healthMs, healthFailures, opened: open.length, refused, peakRssMb };
}
