/**
 * A thread that reads a shared ring with the real RingReader, as the safety core does, and
 * posts back the `n` of every message once it has read the one with `n === last`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RingReader } from '../shared-ring.js';

const { ring, last } = workerData as { ring: SharedArrayBuffer; last: number };
const reader = new RingReader(ring);
const got: number[] = [];
const poll = setInterval(() => {
  reader.drain((message) => {
    const { n } = message as { n: number };
    got.push(n);
    if (n === last) {
      clearInterval(poll);
      parentPort?.postMessage(got);
    }
  });
}, 1);
