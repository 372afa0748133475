import { percentile, round, type BenchSuite } from '../harness.js';
import { startServe } from '../serve-process.js';

const RUNS = 7;
const TRACTORS = 6;

export const suite: BenchSuite = {
  name: 'startup',
  description: `process start to the listening line, headland serve --sim ${TRACTORS}, median of ${RUNS}`,
  async run() {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const serve = await startServe(TRACTORS);
      samples.push(serve.readyMs);
      await serve.stop();
    }
    return [
      {
        name: 'startup.ready_ms',
        value: round(percentile(samples, 50), 1),
        unit: 'ms',
        conditions: {
          runs: RUNS,
          tractors: TRACTORS,
          statistic: 'median',
          max_ms: round(Math.max(...samples), 1),
        },
      },
    ];
  },
};
