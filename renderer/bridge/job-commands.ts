/** Jobs as sessions: the history commands the Jobs tab sends, via the bridge. */
import type { CommandResult } from '../../shared/index.js';
import { sendCommand } from './station-bridge.js';

export function reopenJob(jobId: string): Promise<CommandResult> {
  return sendCommand({ type: 'reopenJob', jobId });
}

export function deleteJob(jobId: string): Promise<CommandResult> {
  return sendCommand({ type: 'deleteJob', jobId });
}

export function undeleteJob(jobId: string): Promise<CommandResult> {
  return sendCommand({ type: 'undeleteJob', jobId });
}
