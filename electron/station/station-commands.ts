/**
 * The operator's commands, each handed to the part of the station that owns it: stops and
 * releases (StopControl), running, pausing and the operator's moves (WorkDispatch, JobSession),
 * modes, zones, alerts and the job history. A command the plan cannot carry out is refused with
 * the reason, never thrown; a closing station refuses every command.
 */
import { commandFailed, commandOk, type Command, type CommandResult } from '../../shared/index.js';
import { PlanningError } from '../fleet/index.js';
import type { JobHistory } from '../records/index.js';
import type { SafetyCoreCommands } from '../safety-core/index.js';
import type { Clock } from '../time/index.js';
import type { AlertList } from './alert-list.js';
import { deleteFromHistory, undeleteFromHistory } from './job-history-commands.js';
import type { JobSession } from './job-session.js';
import type { ModeControl } from './mode-control.js';
import type { StopControl } from './stop-control.js';
import type { TractorRecord } from './tractor-record.js';
import type { BoundaryEdit, WorkDispatch } from './work-dispatch.js';
import type { ZoneControl } from './zone-control.js';

export interface StationCommandParts {
  clock: Clock;
  /** The fleet link, through the safety core (a pause is broadcast). */
  core: Pick<SafetyCoreCommands, 'broadcast'>;
  tractors: ReadonlyMap<string, TractorRecord>;
  session: JobSession;
  dispatch: WorkDispatch;
  stops: StopControl;
  modes: ModeControl;
  zones: ZoneControl;
  alerts: AlertList;
  history: JobHistory | undefined;
  /** The station is shutting down. */
  closed(): boolean;
  publish(): void;
  log(line: string): void;
}

export class StationCommands {
  constructor(private readonly p: StationCommandParts) {}

  /**
   * A command the plan cannot carry out (a PlanningError from the fleet library: no machine can
   * do the work, a section or machine the plan does not hold) is refused with the reason, never
   * thrown; the parts refuse such commands before they change anything.
   */
  applyOrRefuse(command: Command, actor: string): CommandResult {
    try {
      return this.apply(command, actor);
    } catch (err) {
      if (!(err instanceof PlanningError)) throw err;
      this.p.log(`station: ${command.type} by ${actor} refused by the plan: ${err.message}`);
      return commandFailed('refused', err.message);
    }
  }

  private apply(command: Command, actor: string): CommandResult {
    const { session, dispatch, stops, tractors } = this.p;
    if (this.p.closed()) return commandFailed('unavailable', 'the station is shutting down');
    switch (command.type) {
      case 'openField':
        return commandFailed('invalid', 'opening a field takes time: use execute()');
      case 'replayControl':
        return commandFailed(
          'refused',
          'replay controls apply to a replay; this is a live station',
        );
      case 'fleetStop':
        return stops.issue('fleet', [...tractors.keys()], actor);
      case 'tractorStop':
        if (!tractors.has(command.tractorId))
          return commandFailed('not-found', `no tractor ${command.tractorId}`);
        return stops.issue(command.tractorId, [command.tractorId], actor);
      case 'release':
        return stops.release(command, actor);
      case 'startJob':
      case 'resumeJob': {
        const result = dispatch.run();
        // The shared document names who ran the job (every command names its giver).
        if (result.ok)
          session.mirror?.job.setJobMode(
            'running',
            `${command.type === 'startJob' ? 'started' : 'resumed'} by ${actor}`,
          );
        return result;
      }
      case 'resumeTractor':
        return dispatch.resumeTractor(command.tractorId, actor);
      case 'pauseJob':
        session.setState('paused');
        this.p.core.broadcast({ kind: 'pause' });
        session.mirror?.job.setJobMode('paused', `paused by ${actor}`);
        return commandOk();
      case 'assignSection':
        return dispatch.assign([command.sectionId], command.tractorId, actor);
      case 'assignSections':
        return dispatch.assign(command.sectionIds, command.tractorId, actor);
      case 'setMode':
        return this.p.modes.request(command.mode, command.tractorIds, actor);
      case 'addZone':
        return this.p.zones.add(command.name, command.ring, actor);
      case 'editBoundary':
        return dispatch.editBoundary(boundaryEdit(command), actor);
      case 'reopenJob':
        return session.reopen(command.jobId, actor);
      case 'deleteJob':
        return this.deleteJob(command.jobId, actor);
      case 'undeleteJob':
        return this.undeleteJob(command.jobId);
      case 'removeZone':
        return this.p.zones.remove(command.zoneId, actor);
      case 'ackAlert':
        return this.p.alerts.acknowledge(command.alertId, actor);
      case 'ackAlerts':
        return this.p.alerts.acknowledgeMany(command.alertIds, actor);
    }
  }

  private deleteJob(jobId: string, actor: string): CommandResult {
    const current = this.p.session.job.id;
    const result = deleteFromHistory(this.p.history, jobId, current, this.p.clock.wallNow());
    if (!result.ok) return result;
    this.p.log(`station: job ${jobId} deleted by ${actor} (undoable for 24 h)`);
    this.p.publish();
    return result;
  }

  private undeleteJob(jobId: string): CommandResult {
    const result = undeleteFromHistory(this.p.history, jobId, this.p.clock.wallNow());
    if (result.ok) this.p.publish();
    return result;
  }
}

/** A boundary edit as the command gives it (the reason and overlap consent defaulted). */
export function boundaryEdit(command: Extract<Command, { type: 'editBoundary' }>): BoundaryEdit {
  return {
    rings: command.rings,
    reason: command.reason ?? 'boundary edited',
    acceptOverlap: command.acceptOverlap === true,
  };
}
