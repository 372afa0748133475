import { z } from 'zod';
import { commandResultSchema, commandSchema } from './commands.js';
import { stationEventSchema } from './events.js';
import { stationSnapshotSchema } from './snapshot.js';

/** Path of the WebSocket that carries the StationApi in headless mode. */
export const BRIDGE_PATH = '/api/ws';
/** Largest client message the bridge accepts, in bytes (room for one field file). */
export const BRIDGE_MAX_MESSAGE_BYTES = 9 * 1024 * 1024;

const requestId = z.number().int().nonnegative();

export const bridgeRequestSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('snapshot'), id: requestId }),
  z.object({ op: z.literal('command'), id: requestId, command: commandSchema }),
]);
export type BridgeRequest = z.infer<typeof bridgeRequestSchema>;

export const bridgeResponseSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('snapshot'), id: requestId, snapshot: stationSnapshotSchema }),
  z.object({ op: z.literal('result'), id: requestId, result: commandResultSchema }),
  z.object({ op: z.literal('event'), event: stationEventSchema }),
  /** A request the bridge could not accept; `id` is null when it could not be read. */
  z.object({ op: z.literal('error'), id: requestId.nullable(), message: z.string() }),
]);
export type BridgeResponse = z.infer<typeof bridgeResponseSchema>;
