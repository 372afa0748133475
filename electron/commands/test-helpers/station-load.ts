/**
 * Ordinary work thrown at a running station to keep its main thread busy, shared by the tests
 * and the benchmark of a busy station: a large document update over /sync and a crowd of pages
 * asking for the bridge.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { syncMessage } from './hostile-corpus.js';

/**
 * A sync message of one update setting `keys` entries under a root the job document does not
 * have: the station reads it whole and refuses it.
 */
export function updateOfUnknownRoot(keys: number, value: (i: number) => unknown): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    const map = doc.getMap('unknown-root');
    for (let i = 0; i < keys; i++) map.set(`key-${i}`, value(i));
  });
  return syncMessage(2, Y.encodeStateAsUpdate(doc));
}

/**
 * Sends `message` over the job document's socket once the station has opened the exchange;
 * resolves with the code the station closed it with, or 0 if it was still open after `waitMs`.
 */
export async function sendSyncMessage(
  url: string,
  message: Uint8Array,
  waitMs: number,
): Promise<number> {
  const ws = new WebSocket(url);
  ws.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.once('message', () => ws.send(message));
  const code = await Promise.race([
    closed,
    new Promise<number>((resolve) => setTimeout(() => resolve(0), waitMs)),
  ]);
  ws.terminate();
  return code;
}

export interface PageCrowd {
  /** Pages the station took (their socket opened). */
  served: number;
  /** Pages turned away with 429 (over a connection cap). */
  refused: number;
  /** Pages that ended any other way. */
  other: number;
  /** Messages the served pages received. */
  messages: number;
}

/**
 * `count` bridge pages from four loopback addresses (127.0.0.2–5), held open for `openMs`;
 * `urlOf(i)` gives page i's address with its token.
 */
export async function crowdOfPages(
  count: number,
  urlOf: (i: number) => string,
  openMs: number,
): Promise<PageCrowd> {
  const crowd: PageCrowd = { served: 0, refused: 0, other: 0, messages: 0 };
  const pages = Array.from({ length: count }, (_, i) => {
    const page = new WebSocket(urlOf(i), { localAddress: `127.0.0.${2 + (i % 4)}` });
    page.on('open', () => crowd.served++);
    page.on('unexpected-response', (_req, res) => {
      if (res.statusCode === 429) crowd.refused++;
      else crowd.other++;
    });
    page.on('error', () => undefined);
    page.on('message', () => crowd.messages++);
    return page;
  });
  await new Promise((resolve) => setTimeout(resolve, openMs));
  for (const page of pages) page.terminate();
  return crowd;
}
