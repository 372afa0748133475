/**
 * A socketcand client in a process of its own, hearing the station's bus as a tractor would.
 * It keeps, per frame it receives, the frame, the timestamp the station's bus gave it (the one
 * its capture holds) and the wall time the frame reached this process, and on SIGTERM writes them
 * one line a frame to the file named by its second argument:
 * `safety.capture_time_error_ms_max` compares them.
 * It also times the station's heartbeats as they arrive: a line `gap SA` on stdin is answered
 * with `gap MS COUNT`, the longest wait between two heartbeats from source address SA and how
 * many came since the last question (then counted anew).
 * Usage: tsx bench/capture-listener.ts PORT FILE.
 */
import { createInterface } from 'node:readline';
import { SocketcandLink } from '../electron/can/index.js';
import { PGN_HEARTBEAT } from '../electron/link/index.js';
import { SystemClock } from '../electron/time/index.js';
import { ArrivalLog } from './arrival-log.js';

const [port = '', file = ''] = process.argv.slice(2);
const clock = new SystemClock();
const arrivals = new ArrivalLog();
const link = new SocketcandLink({ host: '127.0.0.1', port: Number(port), bus: 'can0', clock });

/** Per source address: the last heartbeat's arrival, the longest gap and the count since asked. */
const heartbeats = new Map<number, { lastMs: number | null; maxGapMs: number; count: number }>();

function heardHeartbeat(source: number, nowMs: number): void {
  const entry = heartbeats.get(source) ?? { lastMs: null, maxGapMs: 0, count: 0 };
  if (entry.lastMs !== null) entry.maxGapMs = Math.max(entry.maxGapMs, nowMs - entry.lastMs);
  entry.lastMs = nowMs;
  entry.count++;
  heartbeats.set(source, entry);
}

await link.open();
link.on('frame', (frame) => {
  const arrivedMs = clock.wallNowPrecise();
  arrivals.record(frame, arrivedMs);
  const pgn = (frame.id >>> 8) & 0x3ffff;
  if (frame.extended && pgn === PGN_HEARTBEAT) heardHeartbeat(frame.id & 0xff, clock.now());
});
createInterface({ input: process.stdin }).on('line', (line) => {
  const [word, sa] = line.trim().split(/\s+/);
  if (word !== 'gap') return;
  const entry = heartbeats.get(Number(sa));
  process.stdout.write(`gap ${entry?.maxGapMs ?? 0} ${entry?.count ?? 0}\n`);
  if (entry) {
    entry.maxGapMs = 0;
    entry.count = 0;
  }
});
process.stdout.write('listening\n');
process.once('SIGTERM', () => {
  void link.close().then(() => {
    arrivals.writeTo(file);
    process.exit(0);
  });
});
