/**
 * A station process for the crash test: joins the parent's virtual bus over socketcand, then
 * queues reliable messages for two tractors as fast as it can, printing `ok <peer> <tag>` once
 * each send() has returned (i.e. once it is acknowledged to the caller). The parent kills it
 * with SIGKILL mid-queue. Usage: tsx restart-station-child.ts <port> <dataDir>
 */
import { SocketcandLink } from '../../can/index.js';
import { IsobusNode } from '../../isobus/index.js';
import { SystemClock } from '../../time/index.js';
import { FleetLinkNode } from '../fleet-link-node.js';
import { FileOutboxStore } from '../outbox-store.js';
import { MSG } from '../wire-format.js';
import { RESTART_ROSTER, STATION_NAME, STATION_PREFERRED } from './restart-scenario.js';

const [portArg, dataDir] = process.argv.slice(2);
if (!portArg || !dataDir) throw new Error('usage: restart-station-child <port> <dataDir>');
const clock = new SystemClock();
const link = new SocketcandLink({ host: '127.0.0.1', port: Number(portArg), bus: 'can0', clock });
await link.open();
const node = new IsobusNode({
  link,
  clock,
  name: STATION_NAME,
  preferredAddress: STATION_PREFERRED,
});
const station = new FleetLinkNode({
  id: 'station',
  role: 'station',
  node,
  link,
  clock,
  roster: RESTART_ROSTER,
  store: new FileOutboxStore(dataDir),
});
await station.start();
process.stdout.write('ready\n');
let tag = 0;
const pump = (): void => {
  for (const peer of ['sim-01', 'sim-02']) {
    const r = station.sendReliable(peer, MSG.SYNC_DATA, Uint8Array.of(tag & 0xff, tag >> 8));
    if (r.ok) process.stdout.write(`ok ${peer} ${tag}\n`);
  }
  tag++;
  setTimeout(pump, 2);
};
pump();
