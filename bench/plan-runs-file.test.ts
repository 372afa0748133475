import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoField } from '../electron/sim/test-helpers/demo-fleet.js';
import { codeRevision, type CodeRevision } from './code-revision.js';
import {
  executeJob,
  executedFigures,
  executedResults,
  type ExecutedRun,
  type RunKey,
} from './plan-executed.js';
import { refillFigures } from './plan-refill.js';
import { PlanRunsFile, parseRunsFile } from './plan-runs-file.js';
import { gitCheckout, type GitCheckout } from './test-helpers/git-checkout.js';

const REV_A: CodeRevision = { code: 'a'.repeat(16), commit: 'a'.repeat(40), dirty: false };
const REV_B: CodeRevision = { code: 'b'.repeat(16), commit: 'b'.repeat(40), dirty: false };
const REV_A_EDITED: CodeRevision = { ...REV_A, dirty: true, diff: 'c'.repeat(64) };

const folders: string[] = [];
const checkouts: GitCheckout[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
  for (const c of checkouts.splice(0)) c.remove();
});
function runsPath(): string {
  const folder = mkdtempSync(join(tmpdir(), 'headland-plan-runs-'));
  folders.push(folder);
  // A folder not made yet, as bench/out/ in a fresh checkout.
  return join(folder, 'out', 'runs.jsonl');
}

/** A runs file whose reports are kept, and a clock that moves 2 s per reading. */
function open(file: string, revision: CodeRevision): { runs: PlanRunsFile; log: string[] } {
  const log: string[] = [];
  let ms = 1_700_000_000_000;
  const runs = new PlanRunsFile(file, revision, {
    log: (l) => log.push(l),
    nowMs: () => (ms += 2_000),
  });
  return { runs, log };
}

function fakeRun(field: string, tractors: number, refill = false): ExecutedRun {
  return {
    field,
    tractors,
    plannedS: 100 + tractors,
    lowerBoundS: 90.125,
    executedS: 104.3 + tractors / 3,
    capped: false,
    fraction: 0.981,
    idleShares: Array.from({ length: tractors }, (_, i) => i / 70),
    etaErrorPct: [1.5, 2.25],
    etaSignedPct: [-1.5, 2.25, null],
    etaMissing: 1,
    ...(refill ? { refill: { trips: 5, plannedQueueS: 0, waitedS: 1.2 } } : {}),
  };
}

/** A run function that counts its calls. */
function counting(make: (key: RunKey) => ExecutedRun): {
  fresh: (key: RunKey) => () => ExecutedRun;
  calls: RunKey[];
} {
  const calls: RunKey[] = [];
  return { calls, fresh: (key) => () => (calls.push(key), make(key)) };
}

describe('the executed-plan runs file', () => {
  it('gives back a recorded run instead of running it again, with the same figures', () => {
    const file = runsPath();
    const field = demoField();
    const key: RunKey = { field: field.geometry.name, tractors: 2, kind: 'plain' };
    let runs = 0;
    const fresh = (): ExecutedRun => (runs++, executeJob(field, 2));

    const first = open(file, REV_A);
    const made = first.runs.get(key, fresh);
    first.runs.close();
    expect(runs).toBe(1);
    expect(first.log.at(-1)).toContain('recorded');

    // A later session: the run is read back, not made.
    const second = open(file, REV_A);
    const readBack = second.runs.get(key, fresh);
    second.runs.close();
    expect(runs).toBe(1);
    expect(second.runs.reused).toBe(1);
    expect(second.runs.made).toBe(0);
    expect(readBack).toEqual(made);
    expect(executedResults([readBack])).toEqual(executedResults([made]));
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('records each finished run as one line as it ends, marked plain or refill', () => {
    const file = runsPath();
    const { runs } = open(file, REV_A);
    const fresh = counting((k) => fakeRun(k.field, k.tractors, k.kind === 'refill'));
    runs.get(
      { field: 'F', tractors: 2, kind: 'plain' },
      fresh.fresh({ field: 'F', tractors: 2, kind: 'plain' }),
    );
    // Written before the next run begins: a kill now loses nothing made.
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(2);
    runs.get(
      { field: 'F', tractors: 2, kind: 'refill' },
      fresh.fresh({ field: 'F', tractors: 2, kind: 'refill' }),
    );
    runs.close();
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['kind'])).toEqual(['plain', 'refill']);
    expect(lines[0]).toMatchObject({
      code: REV_A.code,
      commit: REV_A.commit,
      dirty: false,
      wallS: 2,
    });
    expect(parseRunsFile(readFileSync(file, 'utf8')).runs.map((r) => r.run)).toEqual([
      fakeRun('F', 2),
      fakeRun('F', 2, true),
    ]);
  });

  it('reports a corrupt or cut-off line, skips it, and makes that run again', () => {
    const file = runsPath();
    const good = open(file, REV_A);
    const fresh = counting((k) => fakeRun(k.field, k.tractors));
    for (const tractors of [2, 3]) {
      const key: RunKey = { field: 'F', tractors, kind: 'plain' };
      good.runs.get(key, fresh.fresh(key));
    }
    good.runs.close();
    const [line1 = '', line2 = ''] = readFileSync(file, 'utf8').trim().split('\n');
    const wrongType = line1.replace('"executedS":', '"executedS":"soon","was":');
    // The second run's write cut off half-way (a kill), with no newline after it.
    writeFileSync(file, `${wrongType}\nnot json at all\n${line2.slice(0, line2.length / 2)}`);

    const again = open(file, REV_A);
    const bad = again.log.filter((l) => l.includes('skipped'));
    expect(bad[0]).toMatch(/runs\.jsonl:1: run\.executedS: .*; skipped/);
    expect(bad[1]).toMatch(/runs\.jsonl:2: not JSON/);
    expect(bad[2]).toMatch(/runs\.jsonl:3: not JSON \(the last line, cut off\?\)/);
    for (const tractors of [2, 3]) {
      const key: RunKey = { field: 'F', tractors, kind: 'plain' };
      again.runs.get(key, fresh.fresh(key));
    }
    again.runs.close();
    expect(fresh.calls).toHaveLength(4);
    // The new lines start on a line of their own, so the next session reads both back.
    const third = open(file, REV_A);
    expect(third.log.at(-1)).toMatch(/2 run\(s\) of code a{16} read back, 3 bad line\(s\) skipped/);
    for (const tractors of [2, 3]) {
      const key: RunKey = { field: 'F', tractors, kind: 'plain' };
      third.runs.get(key, fresh.fresh(key));
    }
    expect(fresh.calls).toHaveLength(4);
  });

  it('runs again what other code or other edits recorded', () => {
    const file = runsPath();
    const key: RunKey = { field: 'F', tractors: 2, kind: 'plain' };
    const fresh = counting((k) => fakeRun(k.field, k.tractors));
    const a = open(file, REV_A);
    a.runs.get(key, fresh.fresh(key));
    a.runs.close();
    const b = open(file, REV_B);
    expect(b.log.at(-1)).toContain('1 of other code left aside');
    b.runs.get(key, fresh.fresh(key));
    b.runs.close();
    const edited = open(file, REV_A_EDITED);
    edited.runs.get(key, fresh.fresh(key));
    edited.runs.close();
    expect(fresh.calls).toHaveLength(3);
    const lines = parseRunsFile(readFileSync(file, 'utf8')).runs;
    expect(lines.map((l) => l.revision)).toEqual([REV_A, REV_B, REV_A_EDITED]);
    // Each is found again by its own revision.
    for (const rev of [REV_A, REV_B, REV_A_EDITED]) {
      const again = open(file, rev);
      again.runs.get(key, fresh.fresh(key));
    }
    expect(fresh.calls).toHaveLength(3);
  });

  it('reads runs back over a commit of documentation alone, and runs again after a code change', () => {
    const c = gitCheckout({
      'electron/plan.ts': 'export const a = 1;\n',
      'docs/benchmarks.md': '# Benchmarks\n',
      'README.md': '# Headland\n',
    });
    checkouts.push(c);
    const file = runsPath();
    const key: RunKey = { field: 'F', tractors: 2, kind: 'plain' };
    const fresh = counting((k) => fakeRun(k.field, k.tractors));
    const session = (): string[] => {
      const { runs, log } = open(file, codeRevision(c.dir));
      runs.get(key, fresh.fresh(key));
      runs.close();
      return log;
    };
    session();
    const first = codeRevision(c.dir);
    expect(fresh.calls).toHaveLength(1);

    // The session writes up its figures and commits them; the next reads the run back.
    c.write('docs/benchmarks.md', '# Benchmarks\n\nHalf the table.\n');
    c.commit('docs: half the table');
    expect(codeRevision(c.dir).commit).not.toBe(first.commit);
    expect(session()).toEqual([`bench plan: ${file}: 1 run(s) of code ${first.code} read back`]);
    // So do uncommitted edits outside the code folders.
    c.write('README.md', '# Headland, being edited\n');
    session();
    expect(fresh.calls).toHaveLength(1);

    c.write('electron/plan.ts', 'export const a = 2;\n');
    c.commit('plan: a = 2');
    const log = session();
    expect(log[0]).toContain('0 run(s) of code');
    expect(log[0]).toContain('1 of other code left aside');
    expect(fresh.calls).toHaveLength(2);
    // Each line names the code and, for information, the commit it was recorded at.
    const lines = parseRunsFile(readFileSync(file, 'utf8')).runs.map((r) => r.revision);
    expect(lines).toEqual([first, codeRevision(c.dir)]);
    expect(lines[1]?.code).not.toBe(first.code);
  });

  it('skips a line of the first format, which named only the commit', () => {
    const file = runsPath();
    const key: RunKey = { field: 'F', tractors: 2, kind: 'plain' };
    const first = open(file, REV_A);
    first.runs.get(key, () => fakeRun('F', 2));
    first.runs.close();
    const line = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete line['code'];
    writeFileSync(file, `${JSON.stringify({ ...line, v: 1 })}\n`);
    const again = open(file, REV_A);
    expect(again.log[0]).toMatch(/runs\.jsonl:1: v: .*; skipped/);
    expect(again.log.at(-1)).toContain('0 run(s) of code');
  });

  it('does not record a run that would not read back', () => {
    const file = runsPath();
    const key: RunKey = { field: 'F', tractors: 2, kind: 'plain' };
    const { runs, log } = open(file, REV_A);
    const broken = { ...fakeRun('F', 2), plannedS: Number.NaN };
    expect(runs.get(key, () => broken)).toBe(broken);
    runs.close();
    expect(log.at(-1)).toMatch(/F × 2 \(plain\) not recorded: run\.plannedS/);
    expect(existsSync(file)).toBe(false);
  });

  it('feeds the executed and refill figures in the benchmark order, each key once', () => {
    const file = runsPath();
    const fresh = counting((k) => fakeRun(k.field, k.tractors, k.kind === 'refill'));
    const fields = [demoField()];
    const asked: RunKey[] = [];
    const figures = (): unknown[] => {
      const { runs } = open(file, REV_A);
      const source = {
        // The real run is not made: the fake stands in for it, the runs file is the real one.
        get: (key: RunKey): ExecutedRun => (asked.push(key), runs.get(key, fresh.fresh(key))),
      };
      const out = [
        ...executedFigures(fields, { quick: true }, source),
        ...refillFigures(fields, { quick: true }, source),
      ];
      runs.close();
      return out;
    };
    const before = figures();
    const after = figures();
    expect(after).toEqual(before);
    const name = demoField().geometry.name;
    expect(fresh.calls).toEqual([
      { field: name, tractors: 2, kind: 'plain' },
      { field: name, tractors: 6, kind: 'plain' },
      { field: name, tractors: 2, kind: 'refill' },
      { field: name, tractors: 6, kind: 'refill' },
    ]);
    expect(asked).toHaveLength(8);
  });
});
