/**
 * Commanded Address (PGN 65240, ISO 11783-5 §4.4): a commanding node sends NAME + new address
 * by BAM, frame by frame from a raw link here, as a service tool would.
 */
import { describe, expect, it } from 'vitest';
import type { VirtualBusNode } from '../can/index.js';
import { toCanFrame } from './identifier.js';
import type { ClaimChange } from './isobus-node.js';
import { nameToBytes } from './iso-name.js';
import { PGN } from './pgn-registry.js';
import { encodeCm, encodeDataPacket } from './transport-messages.js';
import { network, testName } from './test-helpers/network.js';

const TOOL = 0xf9; // an off-board service tool's address

/** The 9-byte Commanded Address as a BAM: TP.CM_BAM, then two TP.DT, 50 ms apart. */
async function commandAddress(
  tool: VirtualBusNode,
  advance: (ms: number) => void,
  name: bigint,
  address: number,
): Promise<void> {
  const data = new Uint8Array(9);
  data.set(nameToBytes(name));
  data[8] = address;
  const send = (pgn: number, bytes: Uint8Array): void =>
    tool.send(toCanFrame({ priority: 7, pgn, source: TOOL, destination: 0xff, data: bytes }));
  send(PGN.TP_CM, encodeCm({ kind: 'bam', size: 9, packets: 2, pgn: PGN.COMMANDED_ADDRESS }));
  for (const seq of [1, 2]) {
    advance(50);
    send(PGN.TP_DT, encodeDataPacket(seq, data, (seq - 1) * 7));
  }
  advance(5);
  await Promise.resolve();
}

async function setup(selfConfigurable: boolean) {
  const name = testName(2, { selfConfigurable });
  const net = await network([{ name, address: 0x20 }]);
  const tool = net.bus.createNode('tool');
  await tool.open();
  const node = net.nodes[0]!;
  const changes: ClaimChange[] = [];
  node.onStateChange((c) => changes.push(c));
  return { net, tool, node, name, changes };
}

describe('Commanded Address', () => {
  it('moves a self-configurable node to the commanded address and says why', async () => {
    const { net, tool, node, name, changes } = await setup(true);
    await net.run(node.start());
    changes.length = 0;
    await commandAddress(tool, (ms) => net.clock.advance(ms), name, 0x42);
    await net.run(node.whenClaimed());
    net.clock.advance(300);
    expect(node.address).toBe(0x42);
    expect(changes).toEqual([
      { state: 'claiming', address: 0x42, cause: 'commanded', lostAddress: 0x20 },
      { state: 'claimed', address: 0x42, cause: 'commanded' },
    ]);
  });

  it('is ignored by a node with a fixed address (self-configurable bit 0)', async () => {
    const { net, tool, node, name, changes } = await setup(false);
    await net.run(node.start());
    changes.length = 0;
    await commandAddress(tool, (ms) => net.clock.advance(ms), name, 0x42);
    net.clock.advance(500);
    expect(node.address).toBe(0x20);
    expect(changes).toEqual([]);
  });

  it('gives an address to a self-configurable node that could not claim one', async () => {
    const { net, tool, node, name } = await setup(true);
    // Every address it could take is held by higher-priority NAMEs.
    const claimFrom = (address: number): void =>
      tool.send(
        toCanFrame({
          priority: 6,
          pgn: PGN.ADDRESS_CLAIMED,
          source: address,
          destination: 0xff,
          data: nameToBytes(testName(1000 + address, { selfConfigurable: false })),
        }),
      );
    const started = node.start().then(
      () => 'claimed',
      () => 'cannot-claim',
    );
    net.clock.advance(1);
    claimFrom(0x20);
    for (let a = 128; a <= 247; a++) claimFrom(a);
    expect(await net.run(started)).toBe('cannot-claim');
    expect(node.state).toBe('cannot-claim');

    await commandAddress(tool, (ms) => net.clock.advance(ms), name, 0x60);
    await net.run(node.whenClaimed());
    expect(node.address).toBe(0x60);
  });
});
