import { describe, expect, it } from 'vitest';
import type { MachineSample } from './machine-load.js';
import { alternate, ratioResult, rotate } from './peer.js';

const quiet = (): MachineSample => ({ load: [0.5, 0.5, 0.5], cores: 2 });

describe('alternate', () => {
  it('runs ours and the peer in ABBA order, one at a time', async () => {
    const order: string[] = [];
    const r = await alternate(
      4,
      async (i) => {
        order.push(`ours${i}`);
        await Promise.resolve();
        return i;
      },
      (i) => {
        order.push(`peer${i}`);
        return i * 10;
      },
      quiet,
    );
    expect(order).toEqual(['ours0', 'peer0', 'peer1', 'ours1', 'ours2', 'peer2', 'peer3', 'ours3']);
    expect(r.ours).toEqual([0, 1, 2, 3]);
    expect(r.peer).toEqual([0, 10, 20, 30]);
    expect(r.machine).toMatchObject({ pair_cores: 2, pair_load_1m_start: 0.5 });
  });

  it('sums the CPU time each side spent across its runs', async () => {
    let cpuNow = 0;
    const r = await alternate(
      2,
      () => (cpuNow += 5),
      () => (cpuNow += 2),
      quiet,
      () => cpuNow,
    );
    expect(r.oursCpuMs).toBe(10);
    expect(r.peerCpuMs).toBe(4);
  });
});

describe('ratioResult', () => {
  it('is ours over the peer, with both values and the peer named', () => {
    const r = ratioResult({
      name: 'x.vs_y',
      ours: 30,
      peer: 12,
      unit: 'ms',
      peerName: 'y',
      better: 'lower',
      conditions: { runs: 3 },
    });
    expect(r).toEqual({
      name: 'x.vs_y',
      value: 2.5,
      unit: 'ratio',
      conditions: { ours: 30, peer: 12, of_unit: 'ms', peer_is: 'y', better: 'lower', runs: 3 },
    });
  });
});

describe('ratioResult with CPU time', () => {
  it('adds the CPU comparison in the figure’s direction: cost for times, inverse for rates', () => {
    const time = ratioResult({
      name: 't',
      ours: 1,
      peer: 1,
      unit: 'ms',
      peerName: 'p',
      better: 'lower',
      cpu: { oursMs: 30, peerMs: 10 },
    });
    expect(time.conditions).toMatchObject({ cpu_ratio: 3, cpu_ms_ours: 30, cpu_ms_peer: 10 });
    const rate = ratioResult({
      name: 'r',
      ours: 1,
      peer: 1,
      unit: 'updates/s',
      peerName: 'p',
      better: 'higher',
      cpu: { oursMs: 30, peerMs: 10 },
    });
    expect(rate.conditions.cpu_ratio).toBe(0.333);
  });
});

describe('rotate', () => {
  it('runs three in ABCCBA order and keeps each runner’s samples apart', async () => {
    const order: string[] = [];
    const runner = (name: string) => (i: number) => {
      order.push(`${name}${i}`);
      return `${name}${i}`;
    };
    const r = await rotate(2, [runner('a'), runner('b'), runner('c')], quiet);
    expect(order).toEqual(['a0', 'b0', 'c0', 'c1', 'b1', 'a1']);
    expect(r.samples).toEqual([
      ['a0', 'a1'],
      ['b0', 'b1'],
      ['c0', 'c1'],
    ]);
  });
});
