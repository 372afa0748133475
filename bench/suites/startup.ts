/**
 * Startup: process start to the listening line of `headland serve --sim
 * 6`, median. Beside it, in the same run and alternating with it, the floor of any Node server:
 * `node -e` starting an empty HTTP server that prints one line when it listens. The difference
 * is what Headland itself costs to start; both grow with the machine's load, the floor alike.
 */
import { percentile, round, trials, type BenchSuite } from '../harness.js';
import { alternate } from '../peer.js';
import { spawnUntilLine, startServe } from '../serve-process.js';

const TRACTORS = 6;

/** An empty HTTP server that prints a line once it listens: what every Node server pays first. */
const NODE_FLOOR_SCRIPT = [
  "const s = require('node:http').createServer((q, r) => r.end());",
  "s.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + s.address().port));",
].join(' ');

async function nodeFloorMs(): Promise<number> {
  const p = await spawnUntilLine(
    process.execPath,
    ['-e', NODE_FLOOR_SCRIPT],
    /^listening on (\S+)$/m,
  );
  await p.stop();
  return p.readyMs;
}

async function serveReadyMs(): Promise<number> {
  const serve = await startServe(TRACTORS);
  await serve.stop();
  return serve.readyMs;
}

export const suite: BenchSuite = {
  name: 'startup',
  description: `process start to the listening line, headland serve --sim ${TRACTORS}, beside an empty node HTTP server`,
  async run(options) {
    // --quick: 2 of each; the median by nearest rank is then the faster of the two.
    const runs = trials(options, 7, 2);
    const r = await alternate(runs, serveReadyMs, nodeFloorMs);
    const ready = percentile(r.ours, 50);
    const floor = percentile(r.peer, 50);
    return [
      {
        name: 'startup.ready_ms',
        value: round(ready, 1),
        unit: 'ms',
        conditions: {
          runs,
          tractors: TRACTORS,
          statistic: 'median',
          max_ms: round(Math.max(...r.ours), 1),
        },
      },
      {
        name: 'startup.ready_minus_node_floor_ms',
        value: round(ready - floor, 1),
        unit: 'ms',
        conditions: {
          runs,
          statistic: 'median - median',
          ready_ms: round(ready, 1),
          node_floor_ms: round(floor, 1),
          node_floor_max_ms: round(Math.max(...r.peer), 1),
          ratio: round(ready / floor, 2),
          peer_is: 'node -e: empty http.createServer, one line on listen',
          order: 'alternating (ABBA)',
          ...r.machine,
        },
      },
    ];
  },
};
