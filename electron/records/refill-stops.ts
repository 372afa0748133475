/**
 * A refill stop: a machine stood at the job's refill point with its work off, from when it
 * arrived to when it left. The station notes each one (station/refill-visits.ts) and keeps them in
 * the job record and the job's document; the exports show them (the ISOXML time log with the work state off, a point
 * layer in the GIS formats). This module is the one place that says what a stop is on disk and how
 * a stored list is read back: every entry is checked on its own, so one damaged entry is refused,
 * with the reason, and the others are kept — a record written before stops were kept has none.
 */
import { z } from 'zod';
import type { LonLat } from '../fleet/index.js';
import { refillStopKey } from '../sync/index.js';

const lonLatSchema = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

export const refillStopSchema = z
  .object({
    tractorId: z.string().min(1),
    /** Wall time of the first report standing at the point (ms since 1970, UTC). */
    arrivedAtWallMs: z.number().int().nonnegative(),
    /** Wall time of the last report standing there before the machine drove off or worked. */
    leftAtWallMs: z.number().int().nonnegative(),
    /** Where it stood (WGS84 [lon, lat]), its first report there. */
    position: lonLatSchema,
  })
  .refine((s) => s.leftAtWallMs >= s.arrivedAtWallMs, {
    message: 'left before it arrived',
  });

export interface RefillStop {
  readonly tractorId: string;
  readonly arrivedAtWallMs: number;
  readonly leftAtWallMs: number;
  readonly position: LonLat;
}

/** The stops read back: the good ones in time order, and why each refused entry was refused. */
export interface RefillStopsRead {
  stops: RefillStop[];
  refused: string[];
}

/** Reads a record's stored stops (absent in records written before stops were kept). */
export function readRefillStops(raw: readonly unknown[] | undefined): RefillStopsRead {
  const stops: RefillStop[] = [];
  const refused: string[] = [];
  (raw ?? []).forEach((entry, i) => {
    const parsed = refillStopSchema.safeParse(entry);
    if (parsed.success) {
      const { position, ...rest } = parsed.data;
      stops.push({ ...rest, position: [position[0], position[1]] });
    } else {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
      refused.push(
        `refill stop ${i + 1} refused: ${issue?.message ?? 'not a refill stop'}${where}`,
      );
    }
  });
  stops.sort((a, b) => a.arrivedAtWallMs - b.arrivedAtWallMs);
  return { stops, refused };
}

/**
 * Stops from several readings (the job record, the job's document, what the station saw since):
 * each stop once, as its longest reading, in the order the stops began.
 */
export function mergeRefillStops(...readings: (readonly RefillStop[])[]): RefillStop[] {
  const byKey = new Map<string, RefillStop>();
  for (const stop of readings.flat()) {
    const key = refillStopKey(stop.tractorId, stop.arrivedAtWallMs);
    const held = byKey.get(key);
    if (!held || stop.leftAtWallMs > held.leftAtWallMs) byKey.set(key, stop);
  }
  return [...byKey.values()].sort((a, b) => a.arrivedAtWallMs - b.arrivedAtWallMs);
}
