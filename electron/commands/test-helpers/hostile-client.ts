/**
 * Sends hostile inputs (hostile-corpus.ts) to a running `headland serve` and watches it: is the
 * process still there, how soon does /api/health answer, did a refused document update leave
 * the job document as it was (seen through a viewer's replica).
 */
import { connect } from 'node:net';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { HostileInput } from './hostile-corpus.js';

export interface ServeTarget {
  port: number;
  jobId: string;
  operatorToken: string;
  viewerToken: string;
}

/** How long one input may take before the client gives up on an answer (not a failure). */
const ANSWER_WAIT_MS = 1_500;

export type SendOutcome = 'answered' | 'refused' | 'accepted' | 'no-answer';

export async function sendInput(target: ServeTarget, input: HostileInput): Promise<SendOutcome> {
  switch (input.kind) {
    case 'http':
    case 'upgrade':
      return raw(target.port, input.raw);
    case 'bridge':
      return bridge(target, input.frames);
    case 'sync':
      return sync(target, input.message);
    case 'field':
      return bridge(target, [
        JSON.stringify({
          op: 'command',
          id: 1,
          command: {
            type: 'openField',
            fileName: input.fileName,
            dataBase64: Buffer.from(input.bytes).toString('base64'),
          },
        }),
      ]);
  }
}

function raw(port: number, request: string): Promise<SendOutcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answered = false;
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answered ? 'answered' : 'no-answer');
    };
    const timer = setTimeout(done, ANSWER_WAIT_MS);
    socket.on('data', () => {
      answered = true;
      done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(Buffer.from(request, 'latin1'));
  });
}

/** Sends the frames on one bridge connection, then a snapshot request; waits for its reply. */
function bridge(
  target: ServeTarget,
  frames: readonly (string | Uint8Array)[],
): Promise<SendOutcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${target.port}/api/ws?token=${target.operatorToken}`);
    const done = (outcome: SendOutcome): void => {
      clearTimeout(timer);
      ws.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => done('no-answer'), ANSWER_WAIT_MS * 4);
    ws.on('open', () => {
      for (const frame of frames) ws.send(frame);
      ws.send(JSON.stringify({ op: 'snapshot', id: 987_654 }));
    });
    // Every frame is answered in order: the snapshot reply comes after theirs.
    ws.on('message', (data: Buffer) => {
      if (data.toString('utf8', 0, 40).startsWith('{"op":"snapshot","id":987654')) done('answered');
    });
    ws.on('close', () => done('refused'));
    ws.on('error', () => done('refused'));
  });
}

/**
 * One message on a fresh /sync connection, then a step 1: a step 2 back means the message was
 * taken (and handled before it), a close (4400–4499) that it was refused.
 */
function sync(target: ServeTarget, message: Uint8Array): Promise<SendOutcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(
      `ws://127.0.0.1:${target.port}/sync/${target.jobId}?token=${target.operatorToken}`,
    );
    const done = (outcome: SendOutcome): void => {
      clearTimeout(timer);
      ws.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => done('no-answer'), ANSWER_WAIT_MS);
    let sent = false;
    ws.on('message', (data: Buffer) => {
      if (!sent) {
        // The station's own step 1 opens the exchange: now send ours.
        sent = true;
        ws.send(message);
        ws.send(new Uint8Array([0, 0, 1, 0])); // sync step 1, empty state vector
        return;
      }
      if (data[0] === 0 && data[1] === 1) done('accepted');
    });
    ws.on('close', (code) => done(code >= 4400 && code < 4500 ? 'refused' : 'no-answer'));
    ws.on('error', () => done('no-answer'));
  });
}

/** Milliseconds until /api/health answered 200, or Infinity. */
export async function healthMs(port: number, timeoutMs = 5_000): Promise<number> {
  const started = performance.now();
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.status === 200 ? performance.now() - started : Infinity;
  } catch {
    return Infinity;
  }
}

/** A viewer's replica of the job document, to see whether anything changed it. */
export async function viewerReplica(
  target: ServeTarget,
): Promise<{ stateVector: () => string; close: () => void }> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${target.port}/sync`, target.jobId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token: target.viewerToken },
    disableBc: true,
  });
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  return {
    stateVector: () => Buffer.from(Y.encodeStateVector(doc)).toString('base64'),
    close: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}
