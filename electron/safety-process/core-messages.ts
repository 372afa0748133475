/**
 * What crosses between the station's main thread and its safety core's process. Plain data only
 * (structured clone, threads/message-pipe.ts), and every message is parsed with these schemas where it arrives: a bug or
 * a corrupted message on one side is refused and logged by the other, never acted on.
 */
import { z } from 'zod';
import {
  autonomyModeSchema,
  implementCapacitySchema,
  lonLatSchema,
  ringSchema,
  severitySchema,
  tractorStateSchema,
} from '../../shared/index.js';
import type { StopOrder } from '../safety-core/index.js';

const id = z.string().min(1).max(200);
const finite = z.number();

const assignedSectionSchema = z.object({
  id,
  start: lonLatSchema,
  end: lonLatSchema,
  widthM: finite,
  done: z.array(z.tuple([finite, finite])),
});

export const stationToTractorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('assign'), sections: z.array(assignedSectionSchema) }),
  z.object({ kind: z.literal('start') }),
  z.object({ kind: z.literal('pause') }),
  z.object({ kind: z.literal('estop'), stopId: id }),
  z.object({
    kind: z.literal('release'),
    stopId: id,
    auth: z.object({
      counter: finite,
      mac: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes'),
    }),
  }),
  z.object({ kind: z.literal('heartbeat'), seq: finite }),
  z.object({ kind: z.literal('mode-request'), requestId: finite, mode: autonomyModeSchema }),
  z.object({ kind: z.literal('mode-commit'), requestId: finite, commit: z.boolean() }),
  z.object({ kind: z.literal('speed-limit'), maxMps: finite.nullable() }),
]);

const coverageSchema = z.object({ sectionId: z.string(), fromM: finite, toM: finite });

export const tractorToStationSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('hello'),
    name: z.string(),
    implementWidthM: finite,
    workSpeedMps: finite,
    capacity: implementCapacitySchema.optional(),
  }),
  z.object({
    kind: z.literal('telemetry'),
    position: lonLatSchema,
    headingDeg: finite,
    speedMps: finite,
    state: tractorStateSchema,
    mode: autonomyModeSchema,
    currentSectionId: z.string().nullable(),
    coverage: coverageSchema.nullable(),
    ownStop: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('progress'),
    currentSectionId: z.string().nullable(),
    coverage: coverageSchema,
  }),
  z.object({ kind: z.literal('stop-confirm'), stopId: id }),
  z.object({
    kind: z.literal('mode-reply'),
    requestId: finite,
    accepted: z.boolean(),
    reason: z.string(),
  }),
  z.object({
    kind: z.literal('release-refused'),
    stopId: id,
    reason: z.enum(['bad-mac', 'replayed', 'not-held']),
  }),
  z.object({ kind: z.literal('alert'), severity: severitySchema, message: z.string() }),
]);

const stopOrderShape = z.object({
  id,
  scope: id,
  tractorIds: z.array(id).readonly(),
  issuedAtWallMs: finite,
  issuedBy: z.string(),
  releasedIds: z.array(id).readonly().optional(),
});

/** A stop order as it arrives, in the shape the core takes (no released machines: none listed). */
export const stopOrderSchema = stopOrderShape.transform(({ releasedIds, ...order }): StopOrder => ({
  ...order,
  ...(releasedIds ? { releasedIds } : {}),
}));

const pair = z.object({ stopId: id, tractorId: id });

/** The main thread to the core, in order, through the orders' pipe. */
export const toCoreSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('send'), to: id, message: stationToTractorSchema }),
  z.object({ type: z.literal('broadcast'), message: stationToTractorSchema }),
  z.object({ type: z.literal('withdrawStarts'), to: id }),
  z.object({ type: z.literal('issue'), order: stopOrderSchema }),
  z.object({ type: z.literal('restore'), orders: z.array(stopOrderSchema).readonly() }),
  z.object({ type: z.literal('release'), pairs: z.array(pair).readonly() }),
  z.object({ type: z.literal('releaseAgain'), stopId: id, tractorId: id }),
  z.object({ type: z.literal('addToFleetStops'), tractorId: id }),
  z.object({ type: z.literal('holdForUnknown'), order: stopOrderSchema }),
  z.object({ type: z.literal('markLost'), tractorId: id }),
  z.object({ type: z.literal('markHeard'), tractorId: id }),
  z.object({ type: z.literal('reserveStopIds'), ids: z.array(id).readonly() }),
  /** The station answers: the core's main-thread watchdog is fed (and armed by the first). */
  z.object({ type: z.literal('alive') }),
  /** Keep-out zones the simulated tractors drive round. */
  z.object({ type: z.literal('keepOut'), rings: z.array(ringSchema) }),
  /** What the simulated tractors heard and did (a test's or a benchmark's look). */
  z.object({ type: z.literal('probe'), requestId: finite }),
  z.object({ type: z.literal('close') }),
]);
/** The `type` of a message not yet parsed (null for anything without one). */
export function typeOfRaw(raw: unknown): unknown {
  return typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : null;
}

/** What the main thread posts, and (parsed) what the core acts on. */
export type ToCore = z.input<typeof toCoreSchema>;
export type ToCoreParsed = z.infer<typeof toCoreSchema>;

/**
 * The pipes the station opens for its core's process, one way each, by file descriptor in the
 * core: the orders (the first of them the core's setup), the fast path's own pipe, and what the
 * core says.
 */
export const CORE_PIPE_FDS = { orders: 3, fastStops: 4, fromCore: 5 } as const;

/** The fast path: a click on STOP ALL, in a pipe of its own that nothing else queues in. */
export const fastStopSchema = z.object({ type: z.literal('fastStop'), actor: z.string(), id });
export type FastStopMessage = z.infer<typeof fastStopSchema>;

const linkStatusSchema = z.object({
  id,
  rttMs: finite.nullable(),
  lossPct: finite,
  lastHeardAgoMs: finite.nullable(),
});

const metricSampleSchema = z.object({
  name: z.string(),
  help: z.string(),
  type: z.enum(['counter', 'gauge']),
  labels: z.record(z.string(), z.string()),
  value: finite,
});

export const tractorProbeSchema = z.object({
  id,
  state: tractorStateSchema,
  holds: z.array(z.string()),
  ownStops: z.number().int(),
  /** The longest gap between two station heartbeats this tractor heard, on the core's clock. */
  heartbeatGapMaxMs: finite,
  heartbeats: z.number().int(),
});

export const probeSchema = z.object({
  tractors: z.array(tractorProbeSchema),
  /** Every confirmation the core timed: stop, tractor, ms after the stop went out. */
  confirmations: z.array(z.object({ stopId: id, tractorId: id, latencyMs: finite })),
  /**
   * Every fast stop the core carried out since the last probe, and when it heard it on the
   * machine's monotonic clock (time/precise-wall.ts), which the station's process reads too.
   */
  fastStopsHeard: z.array(z.object({ stopId: id, heardAtMs: finite })),
  /** The core's own longest late turn since the last probe (its event loop's delay, in ms). */
  longestTurnMs: finite,
});
export type CoreProbe = z.infer<typeof probeSchema>;

/** The core to the main thread. */
export const fromCoreSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    /** The station's outbox could not be read back as it was: said (and held) by the station. */
    outboxProblem: z.object({ message: z.string(), hold: z.boolean() }).nullable(),
  }),
  z.object({ type: z.literal('startFailed'), message: z.string() }),
  z.object({ type: z.literal('message'), from: id, message: tractorToStationSchema }),
  z.object({ type: z.literal('confirmed'), stopId: id, tractorId: id, latencyMs: finite }),
  z.object({ type: z.literal('fastStop'), order: stopOrderSchema }),
  z.object({ type: z.literal('mainThreadSilent'), silentMs: finite, stopId: id }),
  z.object({
    type: z.literal('status'),
    links: z.array(linkStatusSchema),
    metrics: z.array(metricSampleSchema),
    delivered: z.number().int(),
    canServerPort: z.number().int().nullable(),
  }),
  z.object({
    type: z.literal('canAddress'),
    address: z.number().int().nullable(),
    previous: z.number().int().nullable(),
    cause: z.enum(['start', 'contested', 'commanded']),
  }),
  z.object({ type: z.literal('probe'), requestId: finite, probe: probeSchema }),
  z.object({ type: z.literal('log'), line: z.string() }),
  z.object({ type: z.literal('closed') }),
]);
/** What the core posts (readonly arrays welcome) and, parsed, what the main thread gets. */
export type FromCore = z.input<typeof fromCoreSchema>;
export type FromCoreParsed = z.infer<typeof fromCoreSchema>;

/** How the core's process is set up (the first message on its orders' pipe). */
export const coreSetupSchema = z.object({
  fleetKeyHex: z.string().regex(/^[0-9a-f]+$/),
  /** Folder of the station's persistent outbox (store-and-forward across restarts). */
  outboxDir: z.string().nullable(),
  simCount: z.number().int().min(0).max(64),
  /** Where the simulated tractors park and the fence they keep inside. */
  parking: z.array(lonLatSchema).min(1),
  fence: z.array(lonLatSchema).nullable(),
  implementWidthM: finite,
  canServer: z.object({ host: z.string(), port: z.number().int().min(0).max(65535) }).nullable(),
  capturePath: z.string().nullable(),
  /** Ask for real-time scheduling of the core's process (realtime.ts). */
  realtime: z.boolean(),
});
export type CoreSetup = z.infer<typeof coreSetupSchema>;
