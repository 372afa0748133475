import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { compareOps } from './causality.js';
import { JobDoc, JobDocError } from './job-doc.js';
import type { AssignmentConflict } from './assignment-rules.js';
import {
  createStationJob,
  replicaOf,
  sampleJobInit,
  segment,
  station,
  syncPair,
  tractor,
} from './test-helpers/builders.js';

describe('JobDoc', () => {
  it('creates a job whose snapshot holds field, sections, plan and mode', () => {
    const job = createStationJob();
    const snap = job.snapshot();
    expect(snap.jobId).toBe('job-1');
    expect(snap.field?.boundary).toHaveLength(2);
    expect(snap.sections.map((s) => [s.id, s.tractorId, s.state])).toEqual([
      ['s1', 't1', 'pending'],
      ['s2', 't2', 'pending'],
      ['s3', 't1', 'pending'],
      ['s4', 't2', 'pending'],
    ]);
    expect(snap.jobMode?.mode).toBe('planned');
    expect(job.ops().map((o) => o.kind)).toEqual(['job-created']);
  });

  it('records every local change under a named origin', () => {
    const job = createStationJob();
    const origins: unknown[] = [];
    job.doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    job.setJobMode('running', 'start');
    job.assign('s1', 't2', 'balance');
    job.appendCoverage('t1', [segment(1, 0)]);
    expect(origins).toEqual(['job-doc:job-mode', 'job-doc:assign', 'job-doc:coverage']);
  });

  it('lets a later reassignment supersede without a conflict', () => {
    const clock = new ManualClock();
    const a = createStationJob(clock);
    const b = replicaOf(a, station('st2'), clock);
    a.assign('s1', 't2', 'first');
    syncPair(a.doc, b.doc);
    clock.advance(10);
    b.assign('s1', 't1', 'second, having seen the first');
    syncPair(a.doc, b.doc);
    expect(a.snapshot().sections[0]?.tractorId).toBe('t1');
    expect(a.currentConflicts()).toEqual([]);
  });

  it('writes a replan as one op with a claim per section, each superseding what it saw', () => {
    const clock = new ManualClock();
    const a = createStationJob(clock);
    const b = replicaOf(a, station('st2'), clock);
    const opsBefore = a.ops().length;
    clock.advance(10);
    const claims = a.assignMany(
      [
        { sectionId: 's1', tractorId: 't2' },
        { sectionId: 's2', tractorId: 't1' },
        { sectionId: 's4', tractorId: null },
      ],
      'replanned',
    );
    expect(claims.map((c) => c.seen.length)).toEqual([1, 1, 1]);
    const ops = a.ops();
    expect(ops).toHaveLength(opsBefore + 1);
    expect(ops.at(-1)).toMatchObject({ kind: 'assign' });
    expect(ops.at(-1)?.summary).toContain('3 sections');
    syncPair(a.doc, b.doc);
    expect(b.snapshot().sections.map((s) => [s.id, s.tractorId])).toEqual([
      ['s1', 't2'],
      ['s2', 't1'],
      ['s3', 't1'],
      ['s4', null],
    ]);
    expect(b.currentConflicts()).toEqual([]);
    expect(a.assignMany([], 'nothing')).toEqual([]);
    expect(a.ops()).toHaveLength(opsBefore + 1);
  });

  it('resolves concurrent assignments by HLC then station id and tells the loser', () => {
    const clockA = new ManualClock();
    const clockB = new ManualClock(0, Date.UTC(2026, 0, 1) + 5); // B's wall clock is 5 ms ahead
    const a = createStationJob(clockA);
    const b = replicaOf(a, station('st0'), clockB);
    // st0 has a lower client id or not: the rule must not care.
    b.doc.clientID = Math.min(a.doc.clientID, b.doc.clientID) - 1;
    const told: AssignmentConflict[] = [];
    a.onConflict((c) => told.push(c));
    a.assign('s2', 't1', 'from A');
    b.assign('s2', 't3', 'from B');
    syncPair(a.doc, b.doc);
    expect(a.snapshot().sections[1]?.tractorId).toBe('t3');
    expect(b.snapshot().sections[1]?.tractorId).toBe('t3');
    expect(told).toHaveLength(1);
    expect(told[0]?.loser.assignedBy).toBe('st1');
    expect(a.snapshot().conflicts).toHaveLength(1);
    // Resolving it: a new assignment that saw both claims ends the conflict everywhere.
    a.assign('s2', 't1', 'operator resolved');
    syncPair(a.doc, b.doc);
    expect(b.snapshot().sections[1]?.tractorId).toBe('t1');
    expect(b.currentConflicts()).toEqual([]);
  });

  it('never shows a released e-stop as active again, even against a concurrent re-record', () => {
    const clock = new ManualClock();
    const a = createStationJob(clock);
    a.recordEstop({ id: 'e1', scope: 'fleet', reason: 'button' });
    const b = replicaOf(a, station('st2'), clock);
    a.releaseEstop('e1');
    // B concurrently rewrites tractor status and raises alerts; nothing revives e1.
    b.raiseAlert({ id: 'a1', kind: 'estop', severity: 'critical', message: 'fleet stopped' });
    syncPair(a.doc, b.doc);
    expect(b.snapshot().estops).toEqual([expect.objectContaining({ id: 'e1', active: false })]);
    expect(() => b.recordEstop({ id: 'e1', scope: 'fleet', reason: 'again' })).toThrow(JobDocError);
  });

  it('keeps coverage append-only in bounded chunks per writer', () => {
    const job = createStationJob();
    const t1 = replicaOf(job, tractor('t1'));
    for (let i = 0; i < 300; i++) t1.appendCoverage('t1', [segment(i * 1000, i)]);
    const chunks = [...t1.doc.getMap('coverage').keys()];
    expect(chunks).toHaveLength(3);
    expect(t1.coverage('t1')).toHaveLength(300);
    expect(t1.snapshot().coverageSegmentCounts).toEqual({ t1: 300 });
    expect(() => t1.appendCoverage('t2', [segment(0, 0)])).toThrow(JobDocError);
    expect(() => t1.assign('s1', 't1', 'grab')).toThrow(JobDocError);
  });

  it('orders ops causally and reports concurrency for the UI', () => {
    const clock = new ManualClock();
    const a = createStationJob(clock);
    const b = replicaOf(a, station('st2'), clock);
    clock.advance(1);
    a.setJobMode('running', 'go');
    clock.advance(1);
    b.raiseAlert({ id: 'x', kind: 'k', severity: 'info', message: 'm' });
    syncPair(a.doc, b.doc);
    clock.advance(1);
    b.acknowledgeAlert('x');
    syncPair(a.doc, b.doc);
    const ops = a.ops();
    const [created, mode, alert, ack] = [
      ops[0]!,
      ops.find((o) => o.kind === 'job-mode')!,
      ops.find((o) => o.kind === 'alert')!,
      ops.find((o) => o.kind === 'alert-ack')!,
    ];
    expect(created.kind).toBe('job-created');
    expect(compareOps(created, mode)).toBe('before');
    expect(compareOps(mode, alert)).toBe('concurrent');
    expect(compareOps(ack, mode)).toBe('after');
    expect(compareOps(alert, ack)).toBe('before');
    expect(compareOps(ack, ack)).toBe('equal');
    expect(ops.indexOf(ack)).toBeGreaterThan(ops.indexOf(alert));
  });

  it('reports which roots a remote change touched', () => {
    const a = createStationJob();
    const b = replicaOf(a, station('st2'));
    const seen: string[][] = [];
    b.onChange((c) => seen.push([...c.roots].sort()));
    a.appendCoverage('t1', [segment(0, 0)]);
    syncPair(a.doc, b.doc);
    expect(seen).toEqual([['coverage']]);
  });

  it('refuses tractors the station-only writes', () => {
    const doc = new JobDoc({ actor: tractor('t1'), clock: new ManualClock() });
    expect(() =>
      JobDoc.create(sampleJobInit(), { actor: tractor('t1'), clock: new ManualClock() }),
    ).toThrow(JobDocError);
    expect(() => doc.releaseEstop('e1')).toThrow(JobDocError);
    doc.setTractorStatus('t1', { mode: 'autonomous', activity: 'working' });
    expect(doc.snapshot().tractors['t1']?.mode).toBe('autonomous');
  });
});

describe('refill stops in the job document', () => {
  it('writes each stop once, again only when it lengthened, and reads them in the order they began', () => {
    const clock = new ManualClock();
    const job = createStationJob(clock);
    const at: [number, number] = [10.001, 52.001];
    const first = { tractorId: 't2', arrivedAtWallMs: 5_000, leftAtWallMs: 6_000, position: at };
    const second = { tractorId: 't1', arrivedAtWallMs: 2_000, leftAtWallMs: 3_000, position: at };
    expect(job.putRefillStops([first, second])).toBe(2);
    expect(job.putRefillStops([first, second])).toBe(0);
    expect(job.putRefillStops([{ ...first, leftAtWallMs: 9_000 }, second])).toBe(1);
    expect(job.refillStops()).toEqual([
      { ...second, id: 't1@2000' },
      { ...first, leftAtWallMs: 9_000, id: 't2@5000' },
    ]);
  });

  it('are the station’s to write', () => {
    const job = createStationJob(new ManualClock());
    const tractor = replicaOf(job, { role: 'tractor', id: 't1' });
    expect(() =>
      tractor.putRefillStops([
        { tractorId: 't1', arrivedAtWallMs: 1, leftAtWallMs: 2, position: [10, 52] },
      ]),
    ).toThrow(/record refill stops/);
  });
});

describe('holders', () => {
  it('says what the snapshot says of every section, after assignments from two replicas', () => {
    const clock = new ManualClock();
    const job = createStationJob(clock);
    const other = replicaOf(job, station('st2'), clock);
    const ids = job.snapshot().sections.map((s) => s.id);
    job.assignMany(
      ids.map((sectionId) => ({ sectionId, tractorId: 't1' })),
      'plan',
    );
    Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(job.doc));
    clock.advance(10);
    other.assign(ids[0]!, 't2', 'moved');
    Y.applyUpdate(job.doc, Y.encodeStateAsUpdate(other.doc));
    const fromSnapshot = Object.fromEntries(
      job
        .snapshot()
        .sections.filter((s) => s.tractorId)
        .map((s) => [s.id, s.tractorId]),
    );
    expect(job.holders()).toEqual(fromSnapshot);
    expect(job.holders()[ids[0]!]).toBe('t2');
  });
});
