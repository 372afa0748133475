/**
 * A socketcand client in a process of its own, for `safety.capture_time_error_ms_max`: it
 * writes one line per frame it receives — the frame, the timestamp the station's bus gave it
 * (the one its capture holds) and the wall time the frame reached this process — to the file
 * named by its first argument, until SIGTERM. Usage: tsx bench/capture-listener.ts PORT FILE.
 */
import { createWriteStream } from 'node:fs';
import { formatFrame, SocketcandLink } from '../electron/can/index.js';
import { SystemClock } from '../electron/time/index.js';

const [port = '', file = ''] = process.argv.slice(2);
const clock = new SystemClock();
const out = createWriteStream(file);
const link = new SocketcandLink({ host: '127.0.0.1', port: Number(port), bus: 'can0', clock });
await link.open();
link.on('frame', (frame) => {
  const arrivedMs = clock.wallNowPrecise();
  out.write(`${formatFrame(frame)} ${frame.timestampMs ?? 0} ${arrivedMs}\n`);
});
process.stdout.write('listening\n');
process.once('SIGTERM', () => {
  void link.close().then(() => out.end(() => process.exit(0)));
});
