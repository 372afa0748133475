/** What crosses between the main thread and the export thread, validated where it arrives. */
import { z } from 'zod';
import { EXPORT_FORMATS } from './export-job.js';

export const exportRequestSchema = z.object({
  id: z.number().int(),
  dataDir: z.string().min(1),
  jobId: z.string().min(1),
  format: z.enum(EXPORT_FORMATS),
  softwareVersion: z.string(),
});
export type ExportRequest = z.infer<typeof exportRequestSchema>;

export const exportReplySchema = z.discriminatedUnion('ok', [
  z.object({
    id: z.number().int(),
    ok: z.literal(true),
    file: z.object({
      fileName: z.string(),
      contentType: z.string(),
      bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes'),
    }),
  }),
  z.object({
    id: z.number().int(),
    ok: z.literal(false),
    problem: z.enum(['usage', 'not-found', 'corrupt', 'io']),
    message: z.string(),
  }),
]);
export type ExportReply = z.infer<typeof exportReplySchema>;
