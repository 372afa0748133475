import { describe, expect, it } from 'vitest';
import type { BenchOptions, BenchSuite } from './harness.js';
import type { MachineSample } from './machine-load.js';
import { runSuites, type RunIo } from './run-suites.js';

/** Each clock or CPU reading moves on by its step: a suite takes one step of each. */
function io(loads: number[], step = { ms: 0, cpuS: 0 }): RunIo & { lines: string[] } {
  const lines: string[] = [];
  let i = 0;
  let ms = 0;
  let cpu = 0;
  return {
    lines,
    log: (line) => lines.push(line),
    sample: (): MachineSample => ({ load: [loads[i++] ?? 0, 0, 0], cores: 2 }),
    nowMs: () => (ms += step.ms) - step.ms,
    cpuS: () => (cpu += step.cpuS) - step.cpuS,
  };
}

const suite = (name: string, seen: BenchOptions[]): BenchSuite => ({
  name,
  description: name,
  run: (options) => {
    seen.push(options);
    return Promise.resolve([
      { name: `${name}.a_ms`, value: 1, unit: 'ms', conditions: { runs: options.quick ? 2 : 9 } },
    ]);
  },
});

describe('runSuites', () => {
  it('passes the quick flag to every suite and stamps each figure with the mode and the load', async () => {
    const seen: BenchOptions[] = [];
    const out = io([0.5, 1.5, 0.25, 0.75]);
    const { results } = await runSuites([suite('a', seen), suite('b', seen)], { quick: true }, out);
    expect(seen).toEqual([{ quick: true }, { quick: true }]);
    expect(results.map((r) => r.conditions)).toEqual([
      { runs: 2, mode: 'quick', cores: 2, load_1m_start: 0.5, load_1m_end: 1.5, load_5m_end: 0 },
      { runs: 2, mode: 'quick', cores: 2, load_1m_start: 0.25, load_1m_end: 0.75, load_5m_end: 0 },
    ]);
    expect(out.lines.some((l) => l.includes('warning'))).toBe(false);
  });

  it('warns on stderr for a suite run with the load above the core count', async () => {
    const out = io([0.5, 2.5, 0.5, 0.5]);
    const { results } = await runSuites([suite('a', []), suite('b', [])], { quick: false }, out);
    expect(results[0]?.conditions.mode).toBe('full');
    const warnings = out.lines.filter((l) => l.includes('warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/suite a.*end 2\.5/);
  });

  it('reports a suite that throws and goes on with the next', async () => {
    const out = io([0, 0, 0, 0]);
    const broken: BenchSuite = {
      name: 'broken',
      description: 'throws',
      run: () => Promise.reject(new Error('transfer aborted')),
    };
    const { results, failures } = await runSuites([broken, suite('b', [])], { quick: true }, out);
    expect(results.map((r) => r.name)).toEqual(['b.a_ms']);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.suite).toBe('broken');
    expect(
      out.lines.some((l) => l.includes('suite broken failed') && l.includes('transfer aborted')),
    ).toBe(true);
  });

  it("keeps each suite's wall and CPU time, a failed suite's too", async () => {
    const out = io([0.5, 1.5, 0.25, 0.75], { ms: 12_340, cpuS: 4.56 });
    const broken: BenchSuite = {
      name: 'broken',
      description: 'throws',
      run: () => Promise.reject(new Error('no')),
    };
    const { timings } = await runSuites([suite('a', []), broken], { quick: true }, out);
    expect(timings).toEqual([
      { suite: 'a', wall_s: 12.3, cpu_s: 4.6, load_1m_start: 0.5, load_1m_end: 1.5 },
      { suite: 'broken', wall_s: 12.3, cpu_s: 4.6, load_1m_start: 0.25, load_1m_end: 0.75 },
    ]);
    expect(out.lines.some((l) => l.includes('(12.3 s, CPU 4.6 s, load 0.5 → 1.5'))).toBe(true);
  });
});
