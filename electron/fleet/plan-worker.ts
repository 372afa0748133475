/**
 * The planning thread (started by field-planner.ts): lays out one field at a time away from the
 * station's main thread, where a field of thousands of boundary points held everything else
 * (the UI, the document) for tens of seconds.
 */
import { isMainThread, parentPort, type MessagePort } from 'node:worker_threads';
import { planField } from './plan-field.js';
import type { PlanReply, PlanRequest } from './plan-messages.js';

function serve(port: MessagePort): void {
  port.on('message', (request: PlanRequest) => {
    let reply: PlanReply;
    try {
      reply = { id: request.id, ok: true, plan: planField(request.field, request.options) };
    } catch (error) {
      reply = {
        id: request.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      };
    }
    port.postMessage(reply);
  });
}

if (!isMainThread && parentPort) serve(parentPort);
