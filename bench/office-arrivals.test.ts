import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeSegments } from '../electron/sync/index.js';
import { createStationJob, segment } from '../electron/sync/test-helpers/builders.js';
import { Arrivals } from './office-arrivals.js';
import { parseVmRssKb } from './office-nodes.js';

/** The updates a station's job emits while `fn` runs, as a viewer's copy would apply them. */
function updatesOf(doc: Y.Doc, fn: () => void): Uint8Array[] {
  const out: Uint8Array[] = [];
  const listener = (u: Uint8Array): void => void out.push(u);
  doc.on('update', listener);
  fn();
  doc.off('update', listener);
  return out;
}

describe('Arrivals', () => {
  it('times a coverage batch from the station’s write to the viewer’s copy', () => {
    const job = createStationJob();
    const arrivals = new Arrivals();
    const seg = segment(1_000, 0);
    const [update] = updatesOf(job.doc, () => {
      job.appendCoverage('t1', [seg]);
      arrivals.written('north/job-1', encodeSegments([seg]), 100);
    });
    expect(arrivals.outstanding).toBe(1);
    arrivals.arrived('north/job-1', update!, 130);
    expect(arrivals.latenciesMs).toEqual([30]);
    expect(arrivals.outstanding).toBe(0);
  });

  it('counts a batch once, and not on another document or from another write', () => {
    const job = createStationJob();
    const arrivals = new Arrivals();
    const mine = segment(1_000, 0);
    const other = segment(2_000, 50);
    const updates = updatesOf(job.doc, () => {
      job.appendCoverage('t1', [mine]);
      job.appendCoverage('t2', [other]);
      job.assign('s1', 't2', 'moved');
    });
    arrivals.written('north/job-1', encodeSegments([mine]), 0);
    for (const u of updates) arrivals.arrived('south/job-1', u, 10);
    expect(arrivals.latenciesMs).toEqual([]);
    const whole = Y.encodeStateAsUpdate(job.doc);
    arrivals.arrived('north/job-1', whole, 20);
    arrivals.arrived('north/job-1', whole, 40);
    expect(arrivals.latenciesMs).toEqual([20]);
    expect(arrivals.outstanding).toBe(0);
  });
});

describe('parseVmRssKb', () => {
  it('reads the resident set from /proc/PID/status', () => {
    expect(parseVmRssKb('Name:\tnode\nVmPeak:\t  900000 kB\nVmRSS:\t  123456 kB\n')).toBe(123456);
    expect(() => parseVmRssKb('Name:\tnode\n')).toThrow(/VmRSS/);
  });
});
