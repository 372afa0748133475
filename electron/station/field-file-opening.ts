/**
 * A field file on its way to becoming the job, up to the moment the job would change: the file
 * read by the planner (in its thread, or on this one), a field far from every machine questioned
 * first (swapped coordinates, the wrong file), and the field planned. Nothing of the job changes
 * here; JobSession checks again and swaps the new work in.
 */
import { commandFailed, type CommandResult, type LonLat } from '../../shared/index.js';
import {
  fieldPlacement,
  type FieldPlan,
  type FieldPlanner,
  type PlanOptions,
  type ValidField,
} from '../fleet/index.js';
import type { FieldWork } from './field-work.js';
import { planOptionsFor } from './plan-options.js';

export interface FieldFileParts {
  planner: FieldPlanner;
  plan: Partial<PlanOptions>;
  fleetSize: number | undefined;
  /** Where the machines are now (a field far from all of them is questioned). */
  positions(): LonLat[];
  /** No job is under way: asked again once the file is read. */
  betweenJobs(): boolean;
  /** The job's work on the field as planned. */
  workFor(field: ValidField, planned: FieldPlan): FieldWork;
  log(line: string): void;
}

/** A field file read and planned, or why it cannot become the job. */
export type PreparedField =
  | { ok: true; field: ValidField; fieldsInFile: number; work: FieldWork }
  | { ok: false; result: CommandResult };

/** Reads and plans the first field of a file; `confirmFar` takes a far field without asking. */
export async function prepareFieldFile(
  fileName: string,
  bytes: Uint8Array,
  confirmFar: boolean,
  p: FieldFileParts,
): Promise<PreparedField> {
  const refused = (result: CommandResult): PreparedField => ({ ok: false, result });
  const read = await p.planner.read(bytes);
  if (!read.ok) return refused(commandFailed('invalid', `${fileName}: ${read.error}`));
  const { field, fieldsInFile } = read.value;
  // A field far from every machine (swapped coordinates, the wrong file) is questioned
  // before it becomes the job.
  if (!confirmFar) {
    const question = placementQuestion(fileName, field, p.positions());
    if (question) return refused(commandFailed('unconfirmed', question));
  }
  if (!p.betweenJobs()) {
    return refused(commandFailed('conflict', 'the job started while the file was read'));
  }
  // Planned before anything changes: a field that cannot be planned leaves the job as it was.
  try {
    const planned = await p.planner.plan(field, planOptionsFor(field, p.plan, p.fleetSize));
    return { ok: true, field, fieldsInFile, work: p.workFor(field, planned) };
  } catch (err) {
    p.log(`station: ${fileName} could not be planned: ${String(err)}`);
    return refused(
      commandFailed(
        'invalid',
        `${fileName}: ${err instanceof Error ? err.message : 'could not be planned'}`,
      ),
    );
  }
}

function placementQuestion(
  fileName: string,
  field: ValidField,
  positions: readonly LonLat[],
): string | null {
  const placement = fieldPlacement(field.geometry.boundary[0] ?? [], positions);
  if (placement.kind !== 'far') return null;
  const km = Math.round(placement.distanceM / 1000).toLocaleString('en-GB');
  const why = placement.swappedLooksNear
    ? 'its latitude and longitude look swapped (swapped, it would lie by the fleet)'
    : 'check that it is the right file';
  return `${fileName}: ${field.geometry.name} lies ${km} km from the nearest machine — ${why}. Open it anyway?`;
}
