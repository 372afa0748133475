import { describe, expect, it } from 'vitest';
import {
  busyPct,
  loadWarning,
  machineConditions,
  parseProcStat,
  type MachineSample,
} from './machine-load.js';

const sample = (load1: number, cpu?: { busy: number; total: number }): MachineSample => ({
  load: [load1, 1, 1],
  cores: 2,
  ...(cpu ? { cpu } : {}),
});

describe('machine load', () => {
  it('counts every tick but idle and iowait as busy in /proc/stat', () => {
    const text = 'cpu  100 5 50 800 40 3 2 0 0 0\ncpu0 50 2 25 400 20 1 1 0 0 0\n';
    expect(parseProcStat(text)).toEqual({ busy: 160, total: 1000 });
  });

  it('gives no CPU reading for text without a cpu line', () => {
    expect(parseProcStat('intr 1 2 3\n')).toBeUndefined();
  });

  it('is the busy share of the ticks between two samples', () => {
    const a = sample(1, { busy: 1000, total: 4000 });
    const b = sample(1, { busy: 1750, total: 5000 });
    expect(busyPct(a, b)).toBe(75);
    expect(busyPct(sample(1), b)).toBeUndefined();
  });

  it('puts cores and the load at the start and at the end in the conditions', () => {
    const c = machineConditions(
      sample(0.5, { busy: 0, total: 100 }),
      sample(3.25, { busy: 50, total: 200 }),
    );
    expect(c).toEqual({
      cores: 2,
      load_1m_start: 0.5,
      load_1m_end: 3.25,
      load_5m_end: 1,
      machine_busy_pct: 50,
    });
  });

  it('warns when the load was above the core count at the start or the end, not otherwise', () => {
    expect(loadWarning('suite x', sample(1.9), sample(2))).toBeUndefined();
    expect(loadWarning('suite x', sample(2.5), sample(1))).toMatch(/suite x.*2 cores.*start 2\.5/);
    expect(loadWarning('suite x', sample(1), sample(4))).toMatch(/end 4/);
  });
});
