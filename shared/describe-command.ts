/**
 * A command in words, for the event log a person reads (live and in a replay): what was asked
 * and of which machines and sections, by their names and labels. Takes what a recording kept
 * of a command too (a field file is recorded by its name only), so it reads loosely.
 */
import { sectionLabels } from './labels.js';

type Loose = { type: string } & Record<string, unknown>;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const strs = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

export function describeCommand(command: Loose, nameOf: (tractorId: string) => string): string {
  const names = (ids: string[]): string => ids.map(nameOf).join(', ');
  switch (command.type) {
    case 'startJob':
      return 'start the job';
    case 'pauseJob':
      return 'pause the job';
    case 'resumeJob':
      return 'resume the job';
    case 'resumeTractor':
      return `resume ${nameOf(str(command.tractorId))}`;
    case 'assignSection':
      return `move ${sectionLabels([str(command.sectionId)])} to ${nameOf(str(command.tractorId))}`;
    case 'assignSections':
      return `move ${sectionLabels(strs(command.sectionIds))} to ${nameOf(str(command.tractorId))}`;
    case 'fleetStop':
      return 'STOP ALL';
    case 'tractorStop':
      return `stop ${nameOf(str(command.tractorId))}`;
    case 'release': {
      const ids = strs(command.tractorIds);
      return ids.length > 0 ? `release ${names(ids)}` : `release stop ${str(command.stopId)}`;
    }
    case 'openField':
      return `open field file ${str(command.fileName)}`;
    case 'ackAlert':
      return 'acknowledge an alert';
    case 'ackAlerts':
      return `acknowledge ${strs(command.alertIds).length} alerts`;
    case 'setMode': {
      const ids = strs(command.tractorIds);
      return `switch ${ids.length > 0 ? names(ids) : 'the fleet'} to ${str(command.mode)}`;
    }
    case 'addZone':
      return `add keep-out zone ${str(command.name)}`;
    case 'removeZone':
      return `remove keep-out zone ${str(command.zoneId)}`;
    case 'editBoundary':
      return `edit the field boundary${command.reason ? ` (${str(command.reason)})` : ''}`;
    case 'reopenJob':
      return `reopen job ${str(command.jobId)}`;
    case 'deleteJob':
      return `delete job ${str(command.jobId)}`;
    case 'undeleteJob':
      return `bring back job ${str(command.jobId)}`;
    case 'replayControl':
      return `replay ${str(command.action)}`;
    default:
      return command.type;
  }
}
