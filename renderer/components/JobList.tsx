import { useState } from 'react';
import type { JobSummary } from '../../shared/index.js';
import { deleteJob, reopenJob, undeleteJob } from '../bridge/job-commands.js';
import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';
import { JobExport } from './JobExport.js';
import { gateProps, useMayCommand } from './role-gate.js';

const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The job history: every job this station has run, newest first, with its state and worked
 * area. A job that is not open can be reopened (when the open one is not running) or deleted
 * (after a confirmation; undoable for a day).
 */
export function JobList() {
  const jobs = useStationStore((s) => s.snapshot?.jobs ?? EMPTY_LIST);
  const openState = useStationStore((s) => s.snapshot?.job.state);
  const [confirming, setConfirming] = useState<string | null>(null);
  const allowed = useMayCommand('reopenJob');
  const canLeave = openState !== 'running' && openState !== 'stopped';
  return (
    <section className="job-list" aria-label="Job history">
      <h2 className="job-list__title">Jobs · {jobs.filter((j) => !j.deletedAtWallMs).length}</h2>
      <ul className="job-list__list">
        {jobs.map((job) => (
          <li
            key={job.id}
            className={`job-list__item${job.current ? ' job-list__item--current' : ''}${job.deletedAtWallMs ? ' job-list__item--deleted' : ''}`}
            data-testid={`job-item-${job.id}`}
          >
            <JobLine job={job} />
            {job.deletedAtWallMs ? null : <JobExport jobId={job.id} jobName={job.name} />}
            {job.current ? (
              <span className="job-list__badge">Open</span>
            ) : job.deletedAtWallMs ? (
              <button
                type="button"
                onClick={() => void undeleteJob(job.id)}
                {...gateProps(allowed)}
              >
                Undo delete
              </button>
            ) : confirming === job.id ? (
              <span className="job-list__confirm" role="group" aria-label={`Delete ${job.name}?`}>
                <button
                  type="button"
                  className="job-list__danger"
                  onClick={() => {
                    setConfirming(null);
                    void deleteJob(job.id);
                  }}
                >
                  Delete {job.name}
                </button>
                <button type="button" onClick={() => setConfirming(null)}>
                  Keep
                </button>
              </span>
            ) : (
              <span className="job-list__actions">
                <button
                  type="button"
                  disabled={!canLeave}
                  title={canLeave ? undefined : 'Pause the open job first'}
                  onClick={() => void reopenJob(job.id)}
                  {...gateProps(allowed)}
                >
                  Reopen
                </button>
                <button type="button" onClick={() => setConfirming(job.id)} {...gateProps(allowed)}>
                  Delete…
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {jobs.length === 0 ? <p className="job-list__empty">No jobs yet.</p> : null}
    </section>
  );
}

function JobLine({ job }: { job: JobSummary }) {
  const share = job.totalHa > 0 ? Math.round((job.workedHa / job.totalHa) * 100) : 0;
  return (
    <span className="job-list__text">
      <strong>{job.name}</strong>
      <small>
        {job.deletedAtWallMs ? 'deleted · ' : `${job.state} · `}
        {share}% of {job.totalHa.toFixed(1)} ha · {DATE.format(job.createdAtWallMs)}
      </small>
    </span>
  );
}
