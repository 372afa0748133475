/**
 * The field thread (started by field-planner.ts): reads boundary files, lays out fields and
 * edited boundaries of a job under way one at a time, away from the station's main thread, where a field of thousands of boundary points
 * held everything else (the UI, the document) for seconds.
 */
import { isMainThread, parentPort, type MessagePort } from 'node:worker_threads';
import { planField } from './plan-field.js';
import type { FieldReply, FieldRequest } from './plan-messages.js';
import { readFieldFile } from './read-field-file.js';
import { reviseField } from './revise-field.js';

async function answer(request: FieldRequest): Promise<FieldReply> {
  try {
    if (request.kind === 'read')
      return { id: request.id, ok: true, read: await readFieldFile(request.bytes) };
    if (request.kind === 'revise')
      return { id: request.id, ok: true, revised: reviseField(request.revision) };
    return { id: request.id, ok: true, plan: planField(request.field, request.options) };
  } catch (error) {
    return {
      id: request.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    };
  }
}

function serve(port: MessagePort): void {
  port.on('message', (request: FieldRequest) => {
    void answer(request).then((reply) => port.postMessage(reply));
  });
}

if (!isMainThread && parentPort) serve(parentPort);
