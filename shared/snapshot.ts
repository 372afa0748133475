import { z } from 'zod';
import {
  autonomyModeSchema,
  jobStateSchema,
  linkStateSchema,
  lonLatSchema,
  ringSchema,
  severitySchema,
  stopStatusSchema,
  tractorStateSchema,
} from './domain.js';

/** Contract version of the snapshot shape; bumped on any incompatible change. */
export const SNAPSHOT_VERSION = 1;

export const progressSchema = z.object({
  /** Unique worked area: ground counted once however often it was driven. */
  workedHa: z.number().nonnegative(),
  /** Area worked more than once (reported apart, never added to workedHa). */
  overlapHa: z.number().nonnegative(),
  totalHa: z.number().nonnegative(),
  /** workedHa / totalHa, 0..1. */
  fraction: z.number().min(0).max(1),
  /** Estimated seconds to finish at the measured work rate; null while unknown. */
  etaS: z.number().nonnegative().nullable(),
  /**
   * Ground of the plan no pass reached on the sections whose work is over (their machine done,
   * or the job finished): drawn as the sections' `unworked` polygons. Null while every
   * section's work goes on (and in recordings made before it was counted).
   */
  unworkedHa: z.number().nonnegative().nullable().default(null),
});

export const fieldSnapshotSchema = z.object({
  name: z.string(),
  /** Outer boundary first, then holes. */
  rings: z.array(ringSchema).min(1),
  /** Centre lines of the headland passes. */
  headlandLines: z.array(z.array(lonLatSchema)),
  areaHa: z.number().nonnegative(),
  /** Where the machines refill their tanks or hoppers; null or absent when the job has none. */
  refillPoint: lonLatSchema.nullable().optional(),
});
export type FieldSnapshot = z.infer<typeof fieldSnapshotSchema>;

export const sectionSnapshotSchema = z.object({
  id: z.string(),
  index: z.number().int().nonnegative(),
  /** The section's ground (outer ring, WGS84). */
  polygon: ringSchema,
  /** The part already worked, as polygons (WGS84). */
  donePolygons: z.array(ringSchema),
  /**
   * Ground left unworked once the section's work is over (its machine done, or the job
   * finished): polygons of outer ring then holes (WGS84). Empty while work on it goes on.
   */
  unworked: z.array(z.array(ringSchema).min(1)).default([]),
  areaHa: z.number().nonnegative(),
  tractorId: z.string().nullable(),
  doneFraction: z.number().min(0).max(1),
});
export type SectionSnapshot = z.infer<typeof sectionSnapshotSchema>;

export const tractorSnapshotSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: tractorStateSchema,
  mode: autonomyModeSchema,
  position: lonLatSchema.nullable(),
  headingDeg: z.number(),
  speedMps: z.number(),
  implementWidthM: z.number().positive(),
  /** Area this machine works per hour at its working speed (width × speed × efficiency). */
  workRateHaPerH: z.number().nonnegative(),
  sectionIds: z.array(z.string()),
  currentSectionId: z.string().nullable(),
  /** Share of this tractor's assigned ground that is done, 0..1. */
  progress: z.number().min(0).max(1),
  etaS: z.number().nonnegative().nullable(),
  link: z.object({
    state: linkStateSchema,
    rttMs: z.number().nonnegative().nullable(),
    lossPct: z.number().min(0).max(100),
    lastHeardAgoMs: z.number().nonnegative().nullable(),
  }),
  stop: z.object({
    status: stopStatusSchema,
    /** Stop sent to this tractor's confirmation, in ms; null until confirmed. */
    latencyMs: z.number().nonnegative().nullable(),
  }),
  /** A zone or separation hold on this machine (it is slowed or held, not stopped). */
  hold: z
    .object({
      action: z.enum(['slow', 'hold']),
      cause: z.enum(['fence', 'zone', 'separation']),
      reason: z.string(),
    })
    .nullable(),
  /**
   * Its tank or hopper as the station estimates it (the share of a fill left, and the seconds of
   * work at its rate until it must refill); null or absent with nothing to refill or no refill point.
   */
  tank: z
    .object({
      kind: z.enum(['tank', 'hopper']),
      level: z.number().min(0).max(1),
      nextRefillS: z.number().nonnegative(),
    })
    .nullable()
    .optional(),
});
export type TractorSnapshot = z.infer<typeof tractorSnapshotSchema>;

export const fleetStopSnapshotSchema = z.object({
  id: z.string(),
  /** 'fleet' for a fleet stop; otherwise the one tractor stopped. */
  scope: z.union([z.literal('fleet'), z.string()]),
  issuedAtWallMs: z.number(),
  issuedBy: z.string(),
  confirmed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Every machine the stop holds, and how it stands with this stop (absent in old recordings). */
  held: z
    .array(
      z.object({
        tractorId: z.string(),
        status: stopStatusSchema.exclude(['none']),
        latencyMs: z.number().nonnegative().nullable(),
      }),
    )
    .default([]),
});

export const alertSnapshotSchema = z.object({
  id: z.string(),
  severity: severitySchema,
  source: z.string(),
  message: z.string(),
  atWallMs: z.number(),
  acknowledged: z.boolean(),
});
export type AlertSnapshot = z.infer<typeof alertSnapshotSchema>;

/** A keep-out zone: a hole of the field (pond, obstacle) or one the operator drew. */
export const zoneSnapshotSchema = z.object({
  id: z.string(),
  name: z.string(),
  source: z.enum(['field', 'operator']),
  ring: ringSchema,
});
export type ZoneSnapshot = z.infer<typeof zoneSnapshotSchema>;

/** A line of the job history. */
export const jobSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  fieldName: z.string(),
  state: jobStateSchema,
  createdAtWallMs: z.number(),
  updatedAtWallMs: z.number(),
  workedHa: z.number().nonnegative(),
  totalHa: z.number().nonnegative(),
  /** Set while a deleted job can still be brought back. */
  deletedAtWallMs: z.number().nullable(),
  current: z.boolean(),
});
export type JobSummary = z.infer<typeof jobSummarySchema>;

/** An autonomy-mode change under way (the handshake waits for every tractor's answer). */
export const modeChangeSnapshotSchema = z.object({
  mode: autonomyModeSchema,
  /** 'fleet' or the one tractor switched. */
  scope: z.string(),
  waitingFor: z.array(z.string()),
});

/** An offline raster basemap (XYZ tiles) the UI can draw under the field. */
export const basemapSchema = z.object({
  name: z.string(),
  /** Leaflet URL template with {z}/{x}/{y}, relative to the page or absolute. */
  urlTemplate: z.string(),
  minZoom: z.number().int().min(0).max(24),
  maxNativeZoom: z.number().int().min(0).max(24),
  /** [west, south, east, north] in degrees; tiles exist only inside. */
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
});
export type Basemap = z.infer<typeof basemapSchema>;

/** One recorded event a replay shows in its event log (a safety event or an operator command). */
export const replayEventSchema = z.object({
  /** Milliseconds into the recording. */
  atMs: z.number().nonnegative(),
  atWallMs: z.number(),
  /** The audit kind (`stop`, `release`, `comm-lost`, …) or `command`. */
  kind: z.string(),
  actor: z.string(),
  subject: z.string(),
  detail: z.string(),
});
export type ReplayEvent = z.infer<typeof replayEventSchema>;

/**
 * One line of a live station's event log (the Events tab): a command with who gave it and how
 * it ended, a stop, confirmation or release, an alert, a mode change, a notice, a field file
 * opened, an export downloaded. Machines and sections are named as people read them.
 */
export const eventLogEntrySchema = z.object({
  /** Increases by one per line the station logs. */
  seq: z.number().int().nonnegative(),
  atWallMs: z.number(),
  /** `command`, `notice`, `export`, or the audit kind (`stop`, `confirm`, `release`, `alert`, …). */
  kind: z.string().max(40),
  severity: severitySchema,
  /** Who: the session that gave a command, the machine that reported, or the station. */
  actor: z.string(),
  text: z.string(),
});
export type EventLogEntry = z.infer<typeof eventLogEntrySchema>;

/** Where a replay (`headland replay`) stands; absent or null on a live station. */
export const replayStateSchema = z.object({
  /** Milliseconds into the job's recording. */
  atMs: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
  /** Wall time of the recording's start (atMs 0). */
  startedAtWallMs: z.number(),
  speed: z.number().min(1).max(60),
  playing: z.boolean(),
  /** The latest recorded events up to atMs, oldest first. */
  events: z.array(replayEventSchema),
});
export type ReplayState = z.infer<typeof replayStateSchema>;

export const stationSnapshotSchema = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  station: z.object({
    name: z.string(),
    basemap: basemapSchema.nullable(),
    softwareVersion: z.string(),
    uptimeS: z.number().nonnegative(),
    /** Monotonic counter, increases with every snapshot the station publishes. */
    seq: z.number().int().nonnegative(),
    /**
     * The station's own ISO 11783 source address on the CAN bus (0–253); null while it holds
     * none (claiming, or no address could be claimed); absent when the fleet link is not CAN.
     */
    canAddress: z.number().int().min(0).max(253).nullable().optional(),
  }),
  job: z.object({
    id: z.string(),
    name: z.string(),
    state: jobStateSchema,
    progress: progressSchema,
  }),
  field: fieldSnapshotSchema,
  sections: z.array(sectionSnapshotSchema),
  tractors: z.array(tractorSnapshotSchema),
  /** Active stops (fleet or per tractor); empty when nothing is stopped. */
  stops: z.array(fleetStopSnapshotSchema),
  alerts: z.array(alertSnapshotSchema),
  zones: z.array(zoneSnapshotSchema),
  modeChange: modeChangeSnapshotSchema.nullable(),
  /** The job history, newest first (the current job included, deleted ones while undoable); absent in a replay. */
  jobs: z.array(jobSummarySchema).optional(),
  /** The latest lines of a live station's event log, oldest first (absent in a replay). */
  events: z.array(eventLogEntrySchema).optional(),
  /** Set only by a replay source: the snapshot is a recorded fleet, not a live one. */
  replay: replayStateSchema.nullable().optional(),
});
export type StationSnapshot = z.infer<typeof stationSnapshotSchema>;
