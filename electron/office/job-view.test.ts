import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { stationSnapshotSchema } from '../../shared/index.js';
import { createStationJob, segment } from '../sync/test-helpers/builders.js';
import { ManualClock } from '../time/index.js';
import { officeJobView } from './job-view.js';
import { summarizeJob } from './job-summary.js';

const NORTH = { stationId: 'north', jobId: 'job-1' };

/** Four sections of 7,000 m², two each for t1 and t2 (sync/test-helpers/builders.ts). */
function runningJob() {
  const job = createStationJob(new ManualClock());
  job.setJobMode('running', 'started');
  job.setTractorStatus('t1', { mode: 'autonomous', activity: 'working' });
  job.setTractorStatus('t2', { mode: 'autonomous', activity: 'offline' });
  job.setSectionState('s1', 'done');
  // 100 m × 6 m, then 50 m × 6 m north-east of the frame's origin.
  job.appendCoverage('t1', [segment(1_000, 0, 0, 100, 6)]);
  job.appendCoverage('t1', [{ ...segment(5_000, 100, 0, 0, 6), y1M: 50 }]);
  return job;
}

describe("a job's view from the office's copy of its document", () => {
  it('is a station snapshot the renderer accepts, naming the station and the job', () => {
    const view = officeJobView(NORTH, runningJob().doc);
    expect(stationSnapshotSchema.safeParse(view).success).toBe(true);
    expect(view?.station.name).toBe('north');
    expect(view?.job).toMatchObject({ id: 'job-1', name: 'North field', state: 'running' });
    expect(view?.field.rings).toHaveLength(2);
    expect(view?.sections.map((s) => [s.id, s.tractorId, s.doneFraction])).toEqual([
      ['s1', 't1', 1],
      ['s2', 't2', 0],
      ['s3', 't1', 0],
      ['s4', 't2', 0],
    ]);
  });

  it('counts the swath area driven over the sections for progress', () => {
    const view = officeJobView(NORTH, runningJob().doc);
    expect(view?.job.progress.totalHa).toBeCloseTo(2.8);
    expect(view?.job.progress.fraction).toBeCloseTo(900 / 28_000);
  });

  it('puts a machine at the end of its last swath, heading along it, in the state it recorded', () => {
    const view = officeJobView(NORTH, runningJob().doc);
    const [t1, t2] = view?.tractors ?? [];
    expect(t1).toMatchObject({
      id: 't1',
      state: 'working',
      mode: 'autonomous',
      implementWidthM: 6,
    });
    expect(t1?.headingDeg).toBeCloseTo(0);
    // 100 m east and 50 m north of (10°E, 52°N).
    expect(t1?.position?.[0]).toBeCloseTo(10 + 100 / (111_320 * Math.cos((52 * Math.PI) / 180)), 4);
    expect(t1?.position?.[1]).toBeCloseTo(52 + 50 / 111_250, 4);
    expect(t1?.progress).toBeCloseTo(0.5);
    expect(t2).toMatchObject({ id: 't2', state: 'comm-lost', position: null });
  });

  it('shows a stop the station recorded as holding every machine until it is released', () => {
    const job = runningJob();
    job.recordEstop({ id: 'stop-1', scope: 'fleet', reason: 'operator' });
    const stopped = officeJobView(NORTH, job.doc);
    expect(stopped?.job.state).toBe('stopped');
    expect(stopped?.stops).toEqual([expect.objectContaining({ id: 'stop-1', total: 2 })]);
    expect(stopped?.tractors.map((t) => t.state)).toEqual(['stopped', 'stopped']);
    job.releaseEstop('stop-1');
    expect(officeJobView(NORTH, job.doc)?.stops).toEqual([]);
  });

  it('is null for a document that holds no job', () => {
    expect(officeJobView(NORTH, new Y.Doc())).toBeNull();
  });
});

describe("a job's line in the overview", () => {
  it('gives the worked share and what each machine last recorded of itself', () => {
    const job = runningJob();
    job.raiseAlert({ id: 'a1', kind: 'seed', severity: 'warning', message: 'seed low' });
    const line = summarizeJob(NORTH, job.doc, 1_234);
    expect(line).toMatchObject({
      mode: 'running',
      sectionsDone: 1,
      tractors: 2,
      openAlerts: 1,
      lastUpdateMs: 1_234,
      machines: [
        { id: 't1', activity: 'working' },
        { id: 't2', activity: 'offline' },
      ],
    });
    expect(line?.workedShare).toBeCloseTo(900 / 28_000);
  });
});
