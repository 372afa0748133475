/**
 * CSV (RFC 4180) of the job's totals: one row per tractor, one per section and one for the job,
 * with unique and overlap hectares and the number of passes. Hectares keep 6 decimals (0.01 m²).
 * A machine is given by its id and, beside it, the name the operator screen shows.
 */
import { sectionLabel } from '../../shared/index.js';
import type { JobFigures, Tally } from './job-figures.js';
import { tractorName, type JobData } from './job-reader.js';

const HEADER = ['scope', 'id', 'tractor', 'tractor_nm', 'unique_ha', 'overlap_ha', 'passes'];
const HA_DECIMALS = 6;

function cell(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function row(scope: string, id: string, tractor: [string, string], t: Tally): string {
  return [
    scope,
    id,
    ...tractor,
    (t.uniqueM2 / 1e4).toFixed(HA_DECIMALS),
    (t.overlapM2 / 1e4).toFixed(HA_DECIMALS),
    t.passes,
  ]
    .map(cell)
    .join(',');
}

export function writeCsv(job: JobData, figures: JobFigures): string {
  const lines = [HEADER.join(',')];
  const machine = (id: string | null): [string, string] =>
    id === null ? ['', ''] : [id, tractorName(job, id)];
  for (const [id, t] of Object.entries(figures.tractors).sort(([a], [b]) => a.localeCompare(b)))
    lines.push(row('tractor', id, machine(id), t));
  for (const s of job.sections) {
    const t = figures.sections[s.id] ?? { uniqueM2: 0, overlapM2: 0, passes: 0 };
    // Sections as operators name them on the map and in the panels ('S12', not 'S0012').
    lines.push(row('section', sectionLabel(s.id), machine(s.tractorId), t));
  }
  lines.push(
    row('job', job.jobId, machine(null), {
      uniqueM2: figures.uniqueM2,
      overlapM2: figures.overlapM2,
      passes: figures.passes.length,
    }),
  );
  return `${lines.join('\r\n')}\r\n`;
}
