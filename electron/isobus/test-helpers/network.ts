import { VirtualBus, type VirtualBusNode } from '../../can/index.js';
import { ManualClock } from '../../time/index.js';
import { INDUSTRY_GROUP_AGRICULTURE, encodeName, type IsoNameFields } from '../iso-name.js';
import { IsobusNode } from '../isobus-node.js';
import type { TransportConfig } from '../transport-session.js';

export function testName(identityNumber: number, overrides: Partial<IsoNameFields> = {}): bigint {
  return encodeName({
    identityNumber,
    manufacturerCode: 1407,
    ecuInstance: 0,
    functionInstance: 0,
    function: 130,
    deviceClass: 1,
    deviceClassInstance: 0,
    industryGroup: INDUSTRY_GROUP_AGRICULTURE,
    selfConfigurable: true,
    ...overrides,
  });
}

export interface TestNetwork {
  readonly clock: ManualClock;
  readonly bus: VirtualBus;
  readonly nodes: IsobusNode[];
  readonly links: VirtualBusNode[];
  /** Advances simulated time in small steps until `promise` settles (or `maxMs` passes). */
  run<T>(promise: Promise<T>, maxMs?: number): Promise<T>;
}

export async function network(
  specs: readonly { name: bigint; address: number }[],
  transport: Partial<TransportConfig> = {},
  seed = 1,
): Promise<TestNetwork> {
  const clock = new ManualClock();
  const bus = new VirtualBus({ clock, seed });
  const links = specs.map((_, i) => bus.createNode(`n${i}`));
  const nodes = specs.map(
    (s, i) =>
      new IsobusNode({
        link: links[i]!,
        clock,
        name: s.name,
        preferredAddress: s.address,
        transport,
      }),
  );
  for (const l of links) await l.open();
  const run = async <T>(promise: Promise<T>, maxMs = 60_000): Promise<T> => {
    const state = { settled: false };
    const tracked = promise.finally(() => (state.settled = true));
    tracked.catch(() => undefined);
    for (let t = 0; t < maxMs && !state.settled; t += 5) {
      clock.advance(5);
      await Promise.resolve();
      await Promise.resolve();
    }
    return tracked;
  };
  return { clock, bus, nodes, links, run };
}

export function payload(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
