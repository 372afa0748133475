import { z } from 'zod';
import { commandResultSchema, commandSchema } from './commands.js';
import { stationEventSchema } from './events.js';
import { roleSchema, sessionSchema } from './roles.js';
import { stationSnapshotSchema } from './snapshot.js';

/** Path of the WebSocket that carries the StationApi in headless mode. */
export const BRIDGE_PATH = '/api/ws';
/** Largest client message the bridge accepts, in bytes (room for one field file). */
export const BRIDGE_MAX_MESSAGE_BYTES = 9 * 1024 * 1024;
/**
 * Query parameters of the bridge URL: `token` (the role token; none makes a viewer) and `name`
 * (a label for the audit log, the client's own word). docs/roles.md.
 */
export const BRIDGE_TOKEN_PARAM = 'token';
export const BRIDGE_NAME_PARAM = 'name';
/** Close code for a session whose token was rotated (it reconnects, then as a viewer). */
export const BRIDGE_CLOSE_UNKNOWN_TOKEN = 4401;
/**
 * The bridge says it is alive this often, whatever the station publishes: a page that hears
 * nothing for several periods knows it cannot reach the station (and cannot stop the fleet).
 */
export const BRIDGE_ALIVE_MS = 250;

const requestId = z.number().int().nonnegative();

export const bridgeRequestSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('snapshot'), id: requestId }),
  z.object({ op: z.literal('command'), id: requestId, command: commandSchema }),
  /** Admin only: replaces a role's token and disconnects the sessions that used the old one. */
  z.object({ op: z.literal('rotateToken'), id: requestId, role: roleSchema }),
]);
export type BridgeRequest = z.infer<typeof bridgeRequestSchema>;

export const bridgeResponseSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('snapshot'), id: requestId, snapshot: stationSnapshotSchema }),
  z.object({ op: z.literal('result'), id: requestId, result: commandResultSchema }),
  z.object({ op: z.literal('event'), event: stationEventSchema }),
  /** Sent first on every connection: who the station takes this client to be. */
  z.object({ op: z.literal('session'), session: sessionSchema }),
  /** The new token of a `rotateToken` request. */
  z.object({ op: z.literal('token'), id: requestId, role: roleSchema, token: z.string() }),
  /** Sent every BRIDGE_ALIVE_MS: the connection still carries messages. */
  z.object({ op: z.literal('alive') }),
  /** A request the bridge could not accept; `id` is null when it could not be read. */
  z.object({ op: z.literal('error'), id: requestId.nullable(), message: z.string() }),
]);
export type BridgeResponse = z.infer<typeof bridgeResponseSchema>;
