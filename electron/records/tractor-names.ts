/**
 * What a job's machines were called: the name each introduced itself with (its fleet hello),
 * which the operator screen shows, as the job's recording declares it (`recordings/<job>.hrec`,
 * one `tractor` record per machine, job-recorder.ts). Exports give this name beside the id.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JobRecorder } from './job-recorder.js';
import { RECORDINGS_DIR } from './recording-format.js';
import { scanRecording } from './recording-scan.js';

/**
 * Tractor id → name for job `jobId` of `dataDir`. A job with no readable recording names no
 * machine (its machines are then called by their ids): the names are a label, never a reason to
 * refuse an export.
 */
export function recordedTractorNames(dataDir: string, jobId: string): Map<string, string> {
  const names = new Map<string, string>();
  const path = JobRecorder.pathOf(join(dataDir, RECORDINGS_DIR), jobId);
  if (!existsSync(path)) return names;
  const scan = scanRecording(path);
  if (!scan.ok) return names;
  for (const event of scan.value.events)
    if (event.type === 'tractor' && event.name.trim() !== '') names.set(event.id, event.name);
  return names;
}
