/**
 * When the job is finished: every machine still in the plan has reported its work done. A
 * machine's 'done' is taken at once where the station's own record agrees (every swath of every
 * section it holds is driven), and otherwise only once the machine has kept saying so for
 * DONE_SETTLED_MS: a machine told of new work reports done for its old plan until the new one
 * reaches it, and a burst of drags can leave every machine briefly between an emptied plan and its
 * new one (over the CAN link that read as the whole fleet done at 2% of the field). The wait
 * also finishes a job whose last swaths a machine cannot reach, as the machine says.
 */
import type { TractorState } from '../../shared/index.js';
import type { TractorRecord } from './tractor-record.js';

/** How long a machine's reports must say 'done' before it counts against the station's record. */
export const DONE_SETTLED_MS = 2_000;
/** A section counts as driven from this share of its swaths' length (ends of passes round off). */
const DRIVEN_SHARE = 0.99;

export interface DrivenLedger {
  sectionIdsOf(tractorId: string): readonly string[];
  drivenShare(sectionId: string): number;
}

export function everyMachineDone(
  machines: readonly TractorRecord[],
  ledger: DrivenLedger,
): boolean {
  return machines.length > 0 && machines.every((machine) => machineDone(machine, ledger));
}

function machineDone(machine: TractorRecord, ledger: DrivenLedger): boolean {
  if (machine.reportedState !== 'done' || machine.doneSinceMs === null) return false;
  if (machine.lastReportMs - machine.doneSinceMs >= DONE_SETTLED_MS) return true;
  return ledger
    .sectionIdsOf(machine.id)
    .every((sectionId) => ledger.drivenShare(sectionId) >= DRIVEN_SHARE);
}

/** A state report received at `nowMs`: when the machine's unbroken run of 'done' reports began. */
export function doneSince(
  machine: TractorRecord,
  reported: TractorState,
  nowMs: number,
): number | null {
  if (reported !== 'done') return null;
  return machine.reportedState === 'done' && machine.doneSinceMs !== null
    ? machine.doneSinceMs
    : nowMs;
}
