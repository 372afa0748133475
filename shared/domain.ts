import { z } from 'zod';

/** A WGS84 position as GeoJSON orders it: [longitude, latitude] in degrees. */
export const lonLatSchema = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
export type LonLat = z.infer<typeof lonLatSchema>;

/** A closed ring of positions (first and last may differ; consumers close it). */
export const ringSchema = z.array(lonLatSchema).min(3);
export type Ring = z.infer<typeof ringSchema>;

export const tractorStateSchema = z.enum([
  /** Introduced itself but has not reported its state yet (never shown as lost meanwhile). */
  'joining',
  'idle',
  'working',
  'turning',
  'paused',
  'stopped',
  'comm-lost',
  'done',
]);
/** What a machine is doing. A halted machine (e-stop or safe stop) is `stopped`. */
export type TractorState = z.infer<typeof tractorStateSchema>;

export const autonomyModeSchema = z.enum(['manual', 'supervised', 'autonomous']);
export type AutonomyMode = z.infer<typeof autonomyModeSchema>;

export const jobStateSchema = z.enum(['planned', 'running', 'paused', 'stopped', 'finished']);
export type JobState = z.infer<typeof jobStateSchema>;

/** Per-tractor progress of a fleet stop, as the e-stop panel shows it. */
export const stopStatusSchema = z.enum(['none', 'sent', 'confirmed', 'lost']);
export type StopStatus = z.infer<typeof stopStatusSchema>;

export const linkStateSchema = z.enum(['online', 'degraded', 'lost']);
export type LinkState = z.infer<typeof linkStateSchema>;

export const severitySchema = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof severitySchema>;
