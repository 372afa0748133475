/**
 * A simulated tractor in its own process for the two-process test: joins the bus named by a
 * link URI, claims an address, and answers the first Proprietary A message it receives with a
 * payload five times as long (large enough for ETP). Prints one JSON line per event.
 * Usage: node --import tsx remote-tractor.ts <link-uri> <identity-number> <preferred-address>
 */
import { createLink } from '../../can/index.js';
import { SystemClock } from '../../time/index.js';
import { IsobusNode } from '../isobus-node.js';
import { testName } from './network.js';

const [uri = '', identity = '1', preferred = '128'] = process.argv.slice(2);
const clock = new SystemClock();
const link = createLink(uri, { clock });
const node = new IsobusNode({
  link,
  clock,
  name: testName(Number(identity)),
  preferredAddress: Number(preferred),
});
const say = (event: Record<string, unknown>): void =>
  void process.stdout.write(`${JSON.stringify(event)}\n`);

const off = node.onPgn(0xef00, (message) => {
  off();
  say({ event: 'received', bytes: message.data.length, from: message.source });
  const reply = new Uint8Array(message.data.length * 5);
  for (let i = 0; i < reply.length; i++) reply[i] = message.data[i % message.data.length] ?? 0;
  node.send(0xef00, reply, { destination: message.source }).then(
    async () => {
      say({ event: 'replied', bytes: reply.length });
      node.stop();
      await link.close();
    },
    (error: unknown) => {
      say({ event: 'error', message: String(error) });
      process.exitCode = 1;
    },
  );
});

node.start().then(
  (address) => say({ event: 'claimed', address }),
  (error: unknown) => {
    say({ event: 'error', message: String(error) });
    process.exitCode = 1;
  },
);
