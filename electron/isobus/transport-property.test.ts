import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TransportAbortError } from './isobus-node.js';
import type { IsobusMessage } from './transport-protocol.js';
import { network, payload, testName } from './test-helpers/network.js';

interface Outcome {
  delivered: boolean;
  intact: boolean;
  senderResult: 'ok' | 'aborted';
  leftOpen: number;
}

async function transfer(
  size: number,
  seed: number,
  faults: { lossProbability?: number; jitterMs?: number },
): Promise<Outcome> {
  const net = await network(
    [
      { name: testName(1), address: 0x10 },
      { name: testName(2), address: 0x20 },
    ],
    { maxRetransmits: 10 },
    seed,
  );
  await net.run(Promise.all(net.nodes.map((n) => n.start())));
  const got: IsobusMessage[] = [];
  net.nodes[1]!.onPgn(0xef00, (m) => got.push(m));
  net.bus.configureFaults(faults);
  const data = payload(size, seed);
  const result = await net.run(
    net.nodes[0]!.send(0xef00, data, { destination: 0x20 }).then(
      () => 'ok' as const,
      (e: unknown) => {
        if (!(e instanceof TransportAbortError)) throw e;
        return 'aborted' as const;
      },
    ),
    120_000,
  );
  net.clock.advance(10_000); // every timeout has expired by now
  const delivered = got.length === 1;
  return {
    delivered,
    intact: delivered && Buffer.from(got[0]!.data).equals(Buffer.from(data)),
    senderResult: result,
    leftOpen: net.nodes[0]!.activeSessions() + net.nodes[1]!.activeSessions(),
  };
}

describe('TP/ETP reassembly under loss and reordering (property)', () => {
  it('delivers the exact payload or aborts cleanly, never corrupts and never leaks a session', async () => {
    const outcomes: Outcome[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 9, max: 4000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(0, 0.01, 0.05),
        fc.constantFrom(0, 0.3, 2),
        async (size, seed, lossProbability, jitterMs) => {
          const o = await transfer(size, seed, { lossProbability, jitterMs });
          outcomes.push(o);
          expect(o.leftOpen).toBe(0);
          if (o.delivered) expect(o.intact).toBe(true);
          if (o.senderResult === 'ok') expect(o.delivered).toBe(true);
        },
      ),
      { numRuns: 40, seed: 42 },
    );
    // Retransmission makes most transfers succeed despite the faults.
    expect(outcomes.filter((o) => o.delivered).length).toBeGreaterThan(outcomes.length * 0.6);
  });

  it('recovers lost data packets by re-requesting them', async () => {
    let recovered = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const o = await transfer(1785, seed, { lossProbability: 0.03 });
      if (o.delivered && o.intact) recovered++;
    }
    expect(recovered).toBeGreaterThanOrEqual(6);
  });
});
