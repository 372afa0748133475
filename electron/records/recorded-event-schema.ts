/**
 * The events of a recording as read back: every one is checked against this schema before a
 * replay uses it (a recording is a file: trust nothing in it), and one that does not match is
 * skipped.
 */
import { z } from 'zod';
import {
  alertSnapshotSchema,
  fieldSnapshotSchema,
  fleetStopSnapshotSchema,
  modeChangeSnapshotSchema,
  sectionSnapshotSchema,
  stationSnapshotSchema,
  tractorSnapshotSchema,
  zoneSnapshotSchema,
} from '../../shared/index.js';
import type { RecordedEvent } from './recording-format.js';

/** Tractor indices are small; anything larger is damage, not a fleet. */
const MAX_TRACTOR_INDEX = 100_000;
const at = { atMs: z.number().nonnegative(), atWallMs: z.number() };

export const recordedEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...at,
    type: z.literal('tractor'),
    idx: z.number().int().min(0).max(MAX_TRACTOR_INDEX),
    id: z.string(),
    name: z.string(),
    implementWidthM: z.number(),
  }),
  z.object({
    ...at,
    type: z.literal('command'),
    actor: z.string(),
    command: z.unknown(),
    ok: z.boolean(),
    error: z.string().nullable(),
  }),
  z.object({
    ...at,
    type: z.literal('audit'),
    kind: z.string(),
    actor: z.string(),
    subject: z.string(),
    detail: z.string(),
  }),
  z.object({
    ...at,
    type: z.literal('plan'),
    plan: z.object({
      field: fieldSnapshotSchema,
      sections: z.array(
        sectionSnapshotSchema.pick({ id: true, index: true, polygon: true, areaHa: true }),
      ),
      zones: z.array(zoneSnapshotSchema),
    }),
  }),
  z.object({
    ...at,
    type: z.literal('view'),
    view: z.object({
      job: stationSnapshotSchema.shape.job,
      stops: z.array(fleetStopSnapshotSchema),
      modeChange: modeChangeSnapshotSchema.nullable(),
      tractors: z.array(
        tractorSnapshotSchema.pick({
          id: true,
          state: true,
          sectionIds: true,
          progress: true,
          workRateHaPerH: true,
          etaS: true,
          link: true,
          stop: true,
          hold: true,
        }),
      ),
      sections: z.array(
        z.object({
          id: z.string(),
          tractorId: z.string().nullable(),
          doneFraction: z.number().min(0).max(1),
          unworked: sectionSnapshotSchema.shape.unworked,
        }),
      ),
    }),
  }),
  z.object({ ...at, type: z.literal('alerts'), alerts: z.array(alertSnapshotSchema) }),
  z.object({
    ...at,
    type: z.literal('coverage'),
    sections: z.array(
      z.object({
        id: z.string(),
        keep: z.number().int().nonnegative(),
        add: sectionSnapshotSchema.shape.donePolygons,
      }),
    ),
  }),
  z.object({ ...at, type: z.literal('limit'), detail: z.string() }),
]);

/** The event, or null when it does not match what a recorder writes. */
export function checkEvent(value: unknown): RecordedEvent | null {
  const parsed = recordedEventSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
