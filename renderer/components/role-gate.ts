/**
 * What this page's role may do (docs/roles.md), for disabling controls. The station decides
 * for itself (every command is authorized server-side); this only keeps a viewer from pressing
 * buttons that would be refused. The stops are never gated.
 */
import { mayCommand, type CommandType } from '../../shared/index.js';
import { useStationStore } from '../store/store.js';

export const VIEWER_HINT = "viewers can't change the job";

/** False until the station has said who this page is. */
export function useMayCommand(type: CommandType): boolean {
  return useStationStore((s) => s.session !== null && mayCommand(s.session.role, type));
}

/** Props that disable a control the role may not use, and say why. */
export function gateProps(
  allowed: boolean,
): { disabled: true; title: string; 'aria-description': string } | Record<string, never> {
  return allowed ? {} : { disabled: true, title: VIEWER_HINT, 'aria-description': VIEWER_HINT };
}
