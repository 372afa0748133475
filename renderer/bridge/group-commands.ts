/**
 * The group commands of the UI, each confirmed with the machines it reaches before it is sent
 * (group-confirm.ts): a fleet-wide mode change, starting or resuming the whole job, and a move
 * of several sections. Single-machine commands and the stops go straight out.
 */
import { sectionLabels, type AutonomyMode, type StationSnapshot } from '../../shared/index.js';
import { useStationStore } from '../store/store.js';
import { confirmGroup } from './group-confirm.js';
import { moveSections } from './reassign.js';
import { sendCommand } from './station-bridge.js';

type Send = typeof sendCommand;

const MODE_TEXT: Record<AutonomyMode, string> = {
  manual: 'Manual',
  supervised: 'Supervised',
  autonomous: 'Autonomous',
};

function snapshot(): StationSnapshot | null {
  return useStationStore.getState().snapshot;
}

function namesOf(ids: Iterable<string>): string[] {
  const tractors = snapshot()?.tractors ?? [];
  return [...new Set(ids)].map((id) => tractors.find((t) => t.id === id)?.name ?? id);
}

/** Every machine of the fleet by name. */
function fleetNames(): string[] {
  return namesOf((snapshot()?.tractors ?? []).map((t) => t.id));
}

export async function setFleetMode(mode: AutonomyMode, send: Send = sendCommand): Promise<void> {
  const yes = await confirmGroup({
    action: `Switch the fleet to ${MODE_TEXT[mode]}`,
    machines: fleetNames(),
    confirmLabel: `Switch to ${MODE_TEXT[mode]}`,
  });
  if (yes) await send({ type: 'setMode', mode });
}

export async function runJob(
  type: 'startJob' | 'resumeJob',
  send: Send = sendCommand,
): Promise<void> {
  const yes = await confirmGroup({
    action: type === 'startJob' ? 'Start the job' : 'Resume the job',
    machines: fleetNames(),
    confirmLabel: type === 'startJob' ? 'Start job' : 'Resume job',
  });
  if (yes) await send({ type });
}

/**
 * Moves sections to a tractor. One section reaches two machines at most and goes at once;
 * several are a group move, confirmed with every machine that gives or takes work.
 */
export async function moveSectionsConfirmed(
  sectionIds: readonly string[],
  tractorId: string,
  send: Send = sendCommand,
): Promise<void> {
  if (sectionIds.length > 1) {
    const sections = snapshot()?.sections ?? [];
    const holders = sectionIds
      .map((id) => sections.find((s) => s.id === id)?.tractorId ?? null)
      .filter((id): id is string => id !== null);
    const [target] = namesOf([tractorId]);
    const yes = await confirmGroup({
      action: `Move ${sectionIds.length} sections (${sectionLabels(sectionIds)}) to ${target ?? tractorId}`,
      machines: namesOf([tractorId, ...holders]),
      confirmLabel: 'Move',
    });
    if (!yes) return;
  }
  await moveSections(sectionIds, tractorId, send);
}
