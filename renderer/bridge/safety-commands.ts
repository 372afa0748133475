/** Autonomy modes and keep-out zones: the commands the safety controls send, via the bridge. */
import type { AutonomyMode, CommandResult, LonLat } from '../../shared/index.js';
import { sendCommand } from './station-bridge.js';

/** Switches the listed tractors (the whole fleet when none are listed): all switch or none do. */
export function setMode(
  mode: AutonomyMode,
  tractorIds?: readonly string[],
): Promise<CommandResult> {
  return sendCommand(
    tractorIds && tractorIds.length > 0
      ? { type: 'setMode', mode, tractorIds: [...tractorIds] }
      : { type: 'setMode', mode },
  );
}

export function addZone(name: string, ring: readonly LonLat[]): Promise<CommandResult> {
  return sendCommand({ type: 'addZone', name, ring: [...ring] });
}

export function removeZone(zoneId: string): Promise<CommandResult> {
  return sendCommand({ type: 'removeZone', zoneId });
}
