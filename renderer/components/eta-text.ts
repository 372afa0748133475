/**
 * What the ETA says. An estimate is shown only while it means something: while a machine (or
 * the job) is stopped, paused, out of contact, held by the zone guard or done, the reason takes
 * its place, never a figure computed from a machine standing still.
 */
import type { StationSnapshot, TractorSnapshot } from '../../shared/index.js';
import { formatDuration } from '../format.js';

export function tractorEtaText(t: TractorSnapshot): string {
  if (t.state === 'done' || (t.progress >= 1 && t.sectionIds.length > 0)) return 'done';
  if (t.stop.status !== 'none' || t.state === 'stopped') return 'stopped — none while held';
  if (t.state === 'comm-lost') return 'no contact';
  if (t.state === 'paused') return 'paused';
  // Held short by the zone guard (another machine's right of way, a zone's edge): the wait is
  // what the operator needs to see, not a figure that grows while it lasts.
  if (t.hold?.action === 'hold') return `waiting: ${t.hold.reason}`;
  if (t.sectionIds.length === 0) return 'no work assigned';
  return formatDuration(t.etaS);
}

/** The job's ETA, or why there is none. */
export function jobEtaText(snapshot: Pick<StationSnapshot, 'job' | 'tractors'>): string {
  const { job, tractors } = snapshot;
  if (job.state === 'finished') return 'finished';
  const held = tractors.filter((t) => t.stop.status !== 'none').length;
  if (job.state === 'stopped' || (held > 0 && held === tractors.length))
    return 'none while stopped';
  if (job.state === 'paused') return 'none while paused';
  if (job.state === 'planned') return 'not started';
  if (held > 0) return `none while ${held} machine${held === 1 ? ' is' : 's are'} stopped`;
  const lost = tractors.filter((t) => t.state === 'comm-lost').length;
  if (lost > 0 && job.progress.etaS === null)
    return `none while ${lost} machine${lost === 1 ? ' is' : 's are'} out of contact`;
  return formatDuration(job.progress.etaS);
}
