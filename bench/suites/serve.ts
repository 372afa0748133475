import { percentile, round, trials, type BenchSuite } from '../harness.js';
import { startServe } from '../serve-process.js';

const TRACTORS = 20;
const WARMUP = 50;
const REQUESTS = 1_000;
const QUICK_REQUESTS = 200;

export const suite: BenchSuite = {
  name: 'serve',
  description: `GET /api/state latency with ${TRACTORS} simulated tractors working`,
  async run(options) {
    const requests = trials(options, REQUESTS, QUICK_REQUESTS);
    const serve = await startServe(TRACTORS);
    try {
      for (let i = 0; i < WARMUP; i++) await (await fetch(`${serve.url}/api/state`)).arrayBuffer();
      const samples: number[] = [];
      let bytes = 0;
      for (let i = 0; i < requests; i++) {
        const started = performance.now();
        const body = await (await fetch(`${serve.url}/api/state`)).arrayBuffer();
        samples.push(performance.now() - started);
        bytes = body.byteLength;
      }
      const conditions = {
        tractors: TRACTORS,
        requests,
        sequential: true,
        snapshot_bytes: bytes,
      };
      return [
        {
          name: 'serve.state_p99_ms',
          value: round(percentile(samples, 99), 2),
          unit: 'ms',
          conditions,
        },
        {
          name: 'serve.state_p50_ms',
          value: round(percentile(samples, 50), 2),
          unit: 'ms',
          conditions,
        },
      ];
    } finally {
      await serve.stop();
    }
  },
};
