/**
 * A real `headland serve` under a corpus of hostile inputs (test-helpers/hostile-corpus.ts):
 * malformed request lines and upgrades, bridge messages, Yjs updates for the job document and
 * field files. After every input the process is still running and /api/health answers; every
 * document update the station refused left the document as it was. (How fast health answers
 * under a flood is a figure of the `hostile` benchmark.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CI_CORPUS, hostileCorpus, type HostileKind } from './test-helpers/hostile-corpus.js';
import {
  healthMs,
  sendInput,
  viewerReplica,
  type SendOutcome,
} from './test-helpers/hostile-client.js';
import { killStartedClis, startCli } from './test-helpers/cli-process.js';

const OPERATOR = 'fuzz-operator-token';
const VIEWER = 'fuzz-viewer-token-1';
/** Generous on a loaded machine; the benchmark holds health to 100 ms. */
const HEALTH_ANSWER_MS = 3_000;

afterEach(killStartedClis);

/** Quiet for this long, the viewer's replica holds everything the station sent it. */
const SETTLE_MS = 150;

/** The viewer's state vector once it has stopped changing (at most a few seconds). */
async function settledStateVector(viewer: { stateVector(): string }): Promise<string> {
  let last = viewer.stateVector();
  for (let waited = 0; waited < HEALTH_ANSWER_MS; waited += SETTLE_MS) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const now = viewer.stateVector();
    if (now === last) return now;
    last = now;
  }
  return last;
}

describe('headland serve under hostile input', () => {
  it('never exits, always answers health, and refused updates leave the document as it was', async () => {
    const { child, match } = await startCli(
      [
        'serve',
        '--sim',
        '0',
        '--no-start',
        '--port',
        '0',
        '--basemap',
        'none',
        '--data',
        mkdtempSync(join(tmpdir(), 'headland-fuzz-')),
        '--operator-token',
        OPERATOR,
        '--viewer-token',
        VIEWER,
      ],
      /^(?=[\s\S]*job document at ws:\/\/\S+\/sync\/(\S+) )(?=[\s\S]*listening on http:\/\/127\.0\.0\.1:(\d+))/,
    );
    const target = {
      port: Number(match[2]),
      jobId: match[1] ?? '',
      operatorToken: OPERATOR,
      viewerToken: VIEWER,
    };
    const viewer = await viewerReplica(target);
    const corpus = hostileCorpus(CI_CORPUS);
    const outcomes = new Map<string, number>();
    for (const [n, input] of corpus.entries()) {
      // An update the station accepted a moment ago may still be on its way to the viewer.
      const before = await settledStateVector(viewer);
      const outcome: SendOutcome = await sendInput(target, input);
      const key = `${input.kind}:${outcome}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      const where = `input ${n} (${input.kind})`;
      expect(child.exitCode, where).toBeNull();
      expect(await healthMs(target.port, HEALTH_ANSWER_MS), where).toBeLessThan(HEALTH_ANSWER_MS);
      if (input.kind === 'sync' && outcome === 'refused')
        expect(await settledStateVector(viewer), where).toBe(before);
    }
    viewer.close();
    // The corpus reached every face, and the gate had something to refuse.
    const kinds: HostileKind[] = ['http', 'upgrade', 'sync', 'field', 'bridge'];
    for (const kind of kinds)
      expect([...outcomes.keys()].some((k) => k.startsWith(`${kind}:`))).toBe(true);
    expect(outcomes.get('sync:refused') ?? 0).toBeGreaterThan(10);
    expect(outcomes.get('field:answered') ?? 0).toBe(CI_CORPUS.field);
  }, 180_000);
});
