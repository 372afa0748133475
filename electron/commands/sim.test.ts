import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimSummary } from './sim.js';
import { simCommand } from './sim.js';

function scenarioFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'headland-scenario-')), 'scenario.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function runSim(args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await simCommand.run(
    args,
    { stdout: (l) => out.push(l), stderr: (l) => out.push(l) },
    new AbortController().signal,
  );
  return { code, out };
}

describe('headland sim', () => {
  it('runs a scenario to the end of the job and reports the worked area', async () => {
    const path = scenarioFile({ name: 'two tractors', tractors: 2, durationS: 7200 });
    const { code, out } = await runSim(['--scenario', path, '--json']);
    expect(code).toBe(0);
    const summary = JSON.parse(out[0]!) as SimSummary;
    expect(summary.finished).toBe(true);
    expect(summary.fraction).toBeGreaterThan(0.95);
    expect(summary.workedHa).toBeLessThanOrEqual(summary.totalHa);
    // What the passes did not reach is counted and drawn, never silently left out of a finish.
    expect(summary.unworkedHa).not.toBeNull();
    expect(summary.unworkedHa!).toBeGreaterThan(0);
    expect(summary.unworkedHa!).toBeCloseTo(summary.totalHa - summary.workedHa, 2);
    expect(summary.unworkedPieces).toBeGreaterThan(0);
  });

  it('applies timed commands and gives the same result every run', async () => {
    const path = scenarioFile({
      tractors: 3,
      durationS: 900,
      commands: [{ atS: 300, command: { type: 'fleetStop' } }],
      faults: [{ atS: 60, tractor: 'sim-01', kind: 'radio-off' }],
    });
    const first = JSON.parse((await runSim(['--scenario', path, '--json'])).out[0]!) as SimSummary;
    const second = JSON.parse((await runSim(['--scenario', path, '--json'])).out[0]!) as SimSummary;
    expect(first).toEqual(second);
    expect(first.finished).toBe(false);
    expect(first.stopsActive).toBe(1);
    expect(first.simulatedS).toBe(900);
  });

  it('refuses a missing or invalid scenario with a message', async () => {
    await expect(runSim([])).rejects.toThrow(/--scenario FILE \(or --can URI\) is required/);
    await expect(runSim(['--scenario', scenarioFile('{ nope')])).rejects.toThrow(/scenario\.json/);
    await expect(runSim(['--scenario', scenarioFile({ tractors: 0 })])).rejects.toThrow(/tractors/);
  });
});
