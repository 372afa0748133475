/**
 * The station's side of keep-out zones and separation: the operator adds and removes zones, and
 * the zone guard's verdicts become speed limits, audited holds and stops (docs/safety.md,
 * "Zones"). The zones themselves belong to the job's field (ZoneSupervisor, in JobSession).
 */
import { commandFailed, commandOk, type CommandResult, type LonLat } from '../../shared/index.js';
import type { StationServices } from './station-services.js';
import type { StopControl } from './stop-control.js';
import type { ZoneSupervisor } from './zone-supervisor.js';

export class ZoneControl {
  constructor(
    private readonly s: StationServices,
    private readonly stops: StopControl,
    /** The current job's zones (a new field or boundary brings new ones). */
    private readonly zones: () => ZoneSupervisor,
  ) {}

  add(name: string, ring: readonly LonLat[], actor: string): CommandResult {
    const zone = this.zones().add(name, ring);
    this.s.audit({
      kind: 'zone-hold',
      actor,
      subject: zone.id,
      detail: `keep-out zone ${zone.name} added`,
    });
    this.s.publish();
    return commandOk();
  }

  remove(zoneId: string, actor: string): CommandResult {
    const removed = this.zones().remove(zoneId);
    if (removed === 'not-found') return commandFailed('not-found', `no zone ${zoneId}`);
    if (removed === 'field-zone')
      return commandFailed('refused', `${zoneId} is an obstacle of the field itself`);
    this.s.audit({
      kind: 'zone-hold',
      actor,
      subject: zoneId,
      detail: 'keep-out zone removed',
    });
    this.s.publish();
    return commandOk();
  }

  /** Zones and separation: slow or hold machines heading for a violation, stop those in one. */
  guard(nowMs: number): void {
    const verdicts = this.zones().assess([...this.s.tractors.values()], nowMs);
    for (const { tractorId, maxMps } of verdicts.limits)
      this.s.port.send(tractorId, { kind: 'speed-limit', maxMps });
    for (const action of verdicts.started)
      this.s.audit({
        kind: 'zone-hold',
        actor: 'zone guard',
        subject: action.tractorId,
        detail: `${action.action}: ${action.reason}`,
      });
    for (const action of verdicts.stops) {
      if (this.stops.isHeld(action.tractorId)) continue;
      this.s.audit({
        kind: 'zone-violation',
        actor: 'zone guard',
        subject: action.tractorId,
        detail: action.reason,
      });
      this.s.raise(
        'critical',
        action.tractorId,
        `${this.s.nameOf(action.tractorId)} stopped: ${action.reason}`,
      );
      this.stops.issue(action.tractorId, [action.tractorId], 'zone guard');
    }
    if (verdicts.limits.length > 0) this.s.publish();
  }
}
