import { runJob } from '../bridge/group-commands.js';
import { sendCommand } from '../bridge/station-bridge.js';
import { formatArea, formatPercent } from '../format.js';
import { useStationStore } from '../store/store.js';
import { FleetModeControl } from './FleetModeControl.js';
import { jobEtaText } from './eta-text.js';
import { OpenFieldButton } from './OpenFieldButton.js';
import { RoleBadge } from './RoleBadge.js';
import { Toasts } from './Toasts.js';
import { gateProps, useMayCommand } from './role-gate.js';

/** The longest of Start job, Pause job and Resume job: the button keeps its width through a stop. */
const WIDEST_JOB_ACTION = 'Resume job';

export function JobHeader() {
  const job = useStationStore((s) => s.snapshot?.job);
  const fieldName = useStationStore((s) => s.snapshot?.field.name);
  const units = useStationStore((s) => s.units);
  const mayRun = useMayCommand('startJob');
  const partlyStopped = useStationStore((s) => {
    const tractors = s.snapshot?.tractors ?? [];
    const held = tractors.filter((t) => t.stop.status !== 'none').length;
    return held > 0 && held < tractors.length;
  });
  const etaText = useStationStore((s) => (s.snapshot ? jobEtaText(s.snapshot) : ''));
  if (!job) return null;
  const stateLabel =
    partlyStopped && (job.state === 'running' || job.state === 'stopped')
      ? 'PARTLY STOPPED'
      : job.state.toUpperCase();
  const { progress } = job;
  return (
    <header className="job-header" aria-label="Job">
      <div className="job-header__row">
        <div className="job-header__title">
          <h1>{fieldName}</h1>
          <span
            className={`job-state job-state--${job.state} steady-width`}
            data-widest="PARTLY STOPPED"
            data-testid="job-state"
          >
            <span>{stateLabel}</span>
          </span>
          <RoleBadge />
        </div>
        <div className="job-header__progress" role="group" aria-label="Job progress">
          <span className="job-header__percent" data-testid="job-progress">
            {formatPercent(progress.fraction)}
          </span>
          <div className="progress-bar" aria-hidden="true">
            <div className="progress-bar__fill" style={{ width: `${progress.fraction * 100}%` }} />
          </div>
          <span className="job-header__figures">
            {formatArea(progress.workedHa, units)} of {formatArea(progress.totalHa, units)}
            {progress.overlapHa > 0 ? ` · overlap ${formatArea(progress.overlapHa, units)}` : ''}
            {progress.unworkedHa !== null && progress.unworkedHa > 0 ? (
              <>
                {' · '}
                <span className="job-header__unworked" data-testid="job-unworked">
                  left unworked {formatArea(progress.unworkedHa, units)} (amber hatch on the map)
                </span>
              </>
            ) : null}
            <br />
            <span data-testid="job-eta">ETA {etaText}</span>
          </span>
        </div>
      </div>
      <div className="job-header__row">
        <div className="job-header__actions">
          <FleetModeControl />
          <OpenFieldButton />
          {job.state === 'running' ? (
            <button
              type="button"
              className="steady-width"
              data-widest={WIDEST_JOB_ACTION}
              onClick={() => void sendCommand({ type: 'pauseJob' })}
              {...gateProps(mayRun)}
            >
              <span>Pause job</span>
            </button>
          ) : (
            <button
              type="button"
              className="steady-width"
              data-widest={WIDEST_JOB_ACTION}
              disabled={job.state === 'stopped' || job.state === 'finished'}
              onClick={() => void runJob(job.state === 'planned' ? 'startJob' : 'resumeJob')}
              {...gateProps(mayRun)}
            >
              <span>{job.state === 'planned' ? 'Start job' : 'Resume job'}</span>
            </button>
          )}
        </div>
        <Toasts />
      </div>
    </header>
  );
}
