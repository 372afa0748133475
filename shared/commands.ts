import { z } from 'zod';
import { autonomyModeSchema, ringSchema } from './domain.js';

const id = z.string().min(1).max(128);

/** Largest field file the UI may send (base64 of about 6 MB). */
export const MAX_FIELD_FILE_BASE64 = 8 * 1024 * 1024;

/**
 * Every command the UI (or any client of the contract) can give the station. Stopping needs
 * no confirmation step; releasing is two-step in the UI and names the stop it releases.
 */
export const commandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('startJob') }),
  z.object({ type: z.literal('pauseJob') }),
  z.object({ type: z.literal('resumeJob') }),
  /** Sets one paused tractor (released from a stop) working again while the job runs. */
  z.object({ type: z.literal('resumeTractor'), tractorId: id }),
  z.object({ type: z.literal('assignSection'), sectionId: id, tractorId: id }),
  /** Moves several sections to one tractor at once (drag of a multi-selection). */
  z.object({
    type: z.literal('assignSections'),
    sectionIds: z.array(id).min(1).max(256),
    tractorId: id,
  }),
  z.object({ type: z.literal('fleetStop') }),
  z.object({ type: z.literal('tractorStop'), tractorId: id }),
  /**
   * Releases machines to paused: those named, from every stop that holds each (or from `stopId`
   * only when it is given), or every machine of `stopId` when none are named. All or nothing.
   */
  z.object({
    type: z.literal('release'),
    stopId: id.optional(),
    tractorIds: z.array(id).min(1).max(256).optional(),
  }),
  /**
   * Opens a field file (GeoJSON, KML/KMZ, zipped shapefile, ISOXML) as a new job, when no job
   * is running. The file travels base64-encoded; the station validates everything in it.
   */
  z.object({
    type: z.literal('openField'),
    fileName: z.string().min(1).max(200),
    // An empty file is the station's to refuse, naming the file (not a schema error).
    dataBase64: z.string().max(MAX_FIELD_FILE_BASE64),
    /**
     * The operator confirmed a field the station questioned (`unconfirmed`: it lies far from
     * every machine, its latitude and longitude perhaps swapped).
     */
    confirmFar: z.literal(true).optional(),
  }),
  z.object({ type: z.literal('ackAlert'), alertId: id }),
  /**
   * Acknowledges several alerts at once (e.g. every warning the operator sees): the ids the
   * page showed, never "all of a severity", so an alert that arrived meanwhile stays open.
   */
  z.object({ type: z.literal('ackAlerts'), alertIds: z.array(id).min(1).max(200) }),
  /**
   * Changes the autonomy mode of the listed tractors (the whole fleet when omitted) by a
   * handshake: all switch or none does.
   */
  z.object({
    type: z.literal('setMode'),
    mode: autonomyModeSchema,
    tractorIds: z.array(id).min(1).max(256).optional(),
  }),
  /** Adds a keep-out zone (a polygon machines must not enter), `[lon, lat]` vertices. */
  z.object({
    type: z.literal('addZone'),
    name: z.string().min(1).max(80),
    ring: ringSchema.max(2_000),
  }),
  z.object({ type: z.literal('removeZone'), zoneId: id }),
  /**
   * Edits the field boundary during work (outer ring, then holes): the rest of the field is
   * replanned and reallocated; ground already worked stays worked.
   */
  /** Jobs as sessions: reopen a job of the history (between jobs), delete one, undo a delete. */
  z.object({ type: z.literal('reopenJob'), jobId: id }),
  z.object({ type: z.literal('deleteJob'), jobId: id }),
  z.object({ type: z.literal('undeleteJob'), jobId: id }),
  z.object({
    type: z.literal('editBoundary'),
    rings: z.array(ringSchema.max(5_000)).min(1).max(100),
    reason: z.string().max(200).optional(),
    /**
     * The operator accepted the planned overlap the station put to them (`unconfirmed`: re-laid
     * passes would run over ground already worked, the area named).
     */
    acceptOverlap: z.literal(true).optional(),
  }),
  /**
   * Replay controls (`headland replay`): only a replay source accepts them; a live station
   * refuses them.
   */
  z.object({
    type: z.literal('replayControl'),
    action: z.enum(['play', 'pause', 'seek', 'speed']),
    /** For seek: milliseconds into the recording. */
    atMs: z.number().nonnegative().max(1e10).optional(),
    /** For speed: 1 to 60 times real time. */
    speed: z.number().min(1).max(60).optional(),
  }),
]);
export type Command = z.infer<typeof commandSchema>;
export type CommandType = Command['type'];

export const commandErrorCodeSchema = z.enum([
  'invalid',
  'not-found',
  'conflict',
  'refused',
  'forbidden',
  'unavailable',
  /** The station asks the operator to confirm first (the message says what and why). */
  'unconfirmed',
]);
export type CommandErrorCode = z.infer<typeof commandErrorCodeSchema>;

export const commandResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), stopId: z.string().optional() }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: commandErrorCodeSchema, message: z.string() }),
  }),
]);
export type CommandResult = z.infer<typeof commandResultSchema>;

export function commandOk(extra: { stopId?: string } = {}): CommandResult {
  return { ok: true, ...extra };
}

export function commandFailed(code: CommandErrorCode, message: string): CommandResult {
  return { ok: false, error: { code, message } };
}
