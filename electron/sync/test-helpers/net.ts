/** Loopback HTTP server routing upgrades to a sync endpoint, and event-driven waits. */
import { type Server, createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type * as Y from 'yjs';
import type { SyncEndpoint } from '../ws-endpoint.js';

export async function listenWithEndpoint(
  endpoint: SyncEndpoint,
): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if (!endpoint.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = async (): Promise<void> => {
    await endpoint.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { server, port, close };
}

/** Resolves once `pred` holds, re-checking after every update of `doc` (no polling sleeps). */
export function until(doc: Y.Doc, pred: () => boolean, timeoutMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (pred()) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      doc.off('update', check);
      reject(new Error('condition not reached'));
    }, timeoutMs);
    function check(): void {
      if (!pred()) return;
      clearTimeout(timer);
      doc.off('update', check);
      resolve();
    }
    doc.on('update', check);
  });
}

export function once<T>(
  subscribe: (cb: (value: T) => void) => void,
  timeoutMs = 5_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('event not seen')), timeoutMs);
    subscribe((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/**
 * Sends `request` as raw bytes to 127.0.0.1:port and resolves with everything the server
 * answers until it closes the connection (or `timeoutMs` passes): for request lines and
 * upgrades no HTTP client library would send.
 */
export function rawRequest(port: number, request: string, timeoutMs = 3_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', done);
    socket.on('close', done);
    socket.write(request);
  });
}
