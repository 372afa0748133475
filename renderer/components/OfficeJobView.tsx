import type { OfficeJobSummary } from '../../shared/index.js';
import { formatArea } from '../format.js';
import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';
import { FieldMap } from './FieldMap.js';
import { percentText, updateAgeText } from './office-text.js';

/** Said wherever the office shows a job: it has no path to the machines (docs/safety.md). */
export const NO_REMOTE_STOP =
  "The office cannot stop machines. Stop them at the field's station (Stop all, or Shift+Esc) or with the machine's own e-stop.";

/** One job on the normal field map, read-only: no control here reaches a machine or the job. */
export function OfficeJobView() {
  const ref = useStationStore((s) => s.officeOpenJob);
  const close = useStationStore((s) => s.openOfficeJob);
  const summary = useStationStore((s) =>
    s.officeJobs?.find((j) => j.stationId === ref?.stationId && j.jobId === ref.jobId),
  );
  const nowMs = useStationStore((s) => s.officeNowMs);
  const job = useStationStore((s) => s.snapshot?.job);
  const units = useStationStore((s) => s.units);
  if (!ref) return null;
  return (
    <div className="office-job-view">
      <header className="office-job-view__head">
        <button type="button" onClick={() => close(null)}>
          All jobs
        </button>
        <h2>
          {job?.name ?? ref.jobId}{' '}
          <span className="office-job-view__station">· {ref.stationId}</span>
        </h2>
        <span data-testid="office-view-progress">
          {job
            ? `${percentText(job.progress.fraction)} worked (${formatArea(job.progress.workedHa, units)} of ${formatArea(job.progress.totalHa, units)}) · ${job.state}`
            : 'reading…'}
        </span>
        <span>{summary ? updateAgeText(summary.lastUpdateMs, nowMs) : ''}</span>
      </header>
      <p className="office-job-view__note" role="note">
        View only. {NO_REMOTE_STOP}
      </p>
      <div className="office-job-view__body">
        <FieldMap readOnly />
        <aside className="office-job-view__side">
          <MachineList summary={summary} />
          <StopList />
          <AlertList />
        </aside>
      </div>
    </div>
  );
}

/** Each machine with the state it recorded in the job (stations may not record one). */
function MachineList({ summary }: { summary: OfficeJobSummary | undefined }) {
  const tractors = useStationStore((s) => s.snapshot?.tractors ?? EMPTY_LIST);
  const recorded = (id: string): string =>
    summary?.machines.find((m) => m.id === id)?.activity ?? 'state not recorded';
  return (
    <section aria-label="Machines">
      <h3>Machines</h3>
      <ul className="office-list">
        {tractors.map((t) => (
          <li key={t.id}>
            <strong>{t.name}</strong> {t.state === 'stopped' ? 'stopped' : recorded(t.id)} ·{' '}
            {percentText(t.progress)} of its sections done
          </li>
        ))}
      </ul>
      <p className="office-list__hint">On the map each stands where it last recorded work.</p>
    </section>
  );
}

function StopList() {
  const stops = useStationStore((s) => s.snapshot?.stops ?? EMPTY_LIST);
  return (
    <section aria-label="Stops">
      <h3>Stops</h3>
      {stops.length === 0 ? (
        <p className="office-list__hint">No stop holds a machine.</p>
      ) : (
        <ul className="office-list">
          {stops.map((s) => (
            <li key={s.id} className="office-list__stop">
              {s.scope === 'fleet' ? 'Whole fleet' : s.scope} stopped by {s.issuedBy} at{' '}
              {new Date(s.issuedAtWallMs).toLocaleTimeString()}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AlertList() {
  const alerts = useStationStore((s) => s.snapshot?.alerts ?? EMPTY_LIST);
  const open = alerts.filter((a) => !a.acknowledged);
  return (
    <section aria-label="Alerts">
      <h3>Alerts</h3>
      {open.length === 0 ? (
        <p className="office-list__hint">No open alert.</p>
      ) : (
        <ul className="office-list">
          {open.map((a) => (
            <li key={a.id} className={`office-list__alert office-list__alert--${a.severity}`}>
              {a.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
