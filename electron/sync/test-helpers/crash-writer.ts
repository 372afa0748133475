/**
 * Child process for the kill -9 test: appends coverage segments with tMs = 0, 1, 2, ... (resuming
 * after the last stored one) and prints "ack <tMs>" only after each append has returned, i.e.
 * after the store committed it. The parent kills it at a random moment.
 */
import { SystemClock } from '../../time/index.js';
import { JobDoc } from '../job-doc.js';
import { openPersistedJob } from '../job-persistence.js';
import { UpdateStore } from '../update-store.js';

const [path, compactEvery] = process.argv.slice(2);
if (!path) throw new Error('usage: crash-writer <store path> [compactEvery]');
const store = UpdateStore.open(path, { wallNow: () => Date.now() });
const persisted = openPersistedJob(store, 'job-crash', {
  compactEvery: Number(compactEvery ?? 40),
});
const job = new JobDoc({
  actor: { role: 'station', id: 'st1' },
  clock: new SystemClock(),
  doc: persisted.doc,
});
const done = job.coverage('t1');
let next = done.length === 0 ? 0 : Math.max(...done.map((s) => s.tMs)) + 1;
process.stdout.write(`ready ${next} ${persisted.report.corruptRows}\n`);
for (;;) {
  job.appendCoverage('t1', [
    {
      tMs: next,
      durationMs: 1,
      x0M: next % 1000,
      y0M: 0,
      x1M: (next % 1000) + 1,
      y1M: 0,
      widthM: 3,
    },
  ]);
  process.stdout.write(`ack ${next}\n`);
  next++;
}
