import type { OfficeJobSummary } from '../../shared/index.js';
import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';
import { isQuiet, machinesText, percentText, updateAgeText } from './office-text.js';

/** Every job of every station: one row each, the whole row a glance, the name opening the map. */
export function OfficeJobList() {
  const jobs = useStationStore((s) => s.officeJobs ?? EMPTY_LIST);
  const loaded = useStationStore((s) => s.officeJobs !== null);
  const nowMs = useStationStore((s) => s.officeNowMs);
  const open = useStationStore((s) => s.openOfficeJob);
  if (!loaded) return <p className="office__empty">Reading the office…</p>;
  if (jobs.length === 0)
    return <p className="office__empty">No station has sent a job to this office yet.</p>;
  const sorted = [...jobs].sort(
    (a, b) => compare(a.stationId, b.stationId) || compare(a.name, b.name),
  );
  return (
    <table className="office-jobs" aria-label="Jobs of every station">
      <thead>
        <tr>
          <th scope="col">Station</th>
          <th scope="col">Field</th>
          <th scope="col">Progress</th>
          <th scope="col">Machines</th>
          <th scope="col">Alerts</th>
          <th scope="col">Stops</th>
          <th scope="col">Updated</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((job) => (
          <JobRow
            key={`${job.stationId}/${job.jobId}`}
            job={job}
            nowMs={nowMs}
            onOpen={() => open({ stationId: job.stationId, jobId: job.jobId })}
          />
        ))}
      </tbody>
    </table>
  );
}

function JobRow({
  job,
  nowMs,
  onOpen,
}: {
  job: OfficeJobSummary;
  nowMs: number;
  onOpen: () => void;
}) {
  const quiet = isQuiet(job.lastUpdateMs, nowMs);
  return (
    <tr
      className={quiet ? 'office-job office-job--quiet' : 'office-job'}
      data-testid={`office-job-${job.stationId}-${job.jobId}`}
    >
      <td>{job.stationId}</td>
      <td>
        <button type="button" className="office-job__open" onClick={onOpen}>
          {job.name}
        </button>
        <span className="office-job__mode">{job.mode ?? 'planned'}</span>
      </td>
      <td>
        <span className="office-job__progress" data-testid="office-job-progress">
          {percentText(job.workedShare)}
        </span>
        <span className="office-job__bar" aria-hidden="true">
          <span style={{ width: `${Math.round(job.workedShare * 100)}%` }} />
        </span>
        <span className="office-job__sections">
          {job.sectionsDone} of {job.sections} sections done
        </span>
      </td>
      <td>{machinesText(job.machines)}</td>
      <td className={job.openAlerts > 0 ? 'office-job__warn' : undefined}>
        {job.openAlerts === 0 ? 'none' : `${job.openAlerts} open`}
      </td>
      <td className={job.activeStops > 0 ? 'office-job__stop' : undefined}>
        {job.activeStops === 0 ? 'none' : `${job.activeStops} active`}
      </td>
      <td className={quiet ? 'office-job__quiet' : undefined}>
        {updateAgeText(job.lastUpdateMs, nowMs)}
      </td>
    </tr>
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
