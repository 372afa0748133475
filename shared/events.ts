import { z } from 'zod';
import { stationSnapshotSchema } from './snapshot.js';
import { severitySchema } from './domain.js';

/** What the station pushes to every UI: throttled snapshots and one-off notices (toasts). */
export const stationEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), snapshot: stationSnapshotSchema }),
  z.object({
    type: z.literal('notice'),
    severity: severitySchema,
    message: z.string(),
    atWallMs: z.number(),
  }),
]);
export type StationEvent = z.infer<typeof stationEventSchema>;
