import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobStore } from '../records/index.js';
import { AUDIT_LOG_FILE, AuditLog } from '../safety/index.js';
import { auditCommand } from './audit.js';

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l) };
  await Promise.resolve();
  const code = await auditCommand.run(argv, io, new AbortController().signal);
  return { code, out, err };
}

function dataDirWithLog(anchored = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'headland-audit-cli-'));
  const { log } = AuditLog.open(join(dir, AUDIT_LOG_FILE), () => 1);
  log.append({ kind: 'stop', actor: 'operator', subject: 'stop-1', detail: 'fleet' });
  log.append({ kind: 'confirm', actor: 'sim-01', subject: 'stop-1', detail: '9 ms' });
  // The station keeps the chain's anchor in its job record.
  if (anchored)
    new JobStore(dir).save({
      version: 2,
      id: 'job-1',
      name: 'job',
      createdAtWallMs: 1,
      state: 'stopped',
      fieldName: 'field',
      assignments: {},
      passes: {},
      stops: [],
      alerts: [],
      auditAnchor: log.anchor(),
    });
  log.close();
  return dir;
}

describe('headland audit', () => {
  it('verifies an intact chain and exports its entries', async () => {
    const dir = dataDirWithLog();
    const verified = await run(['verify', '--data', dir, '--json']);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.out[0] ?? '{}')).toMatchObject({ entries: 2, intact: true });
    const out = join(dir, 'export.jsonl');
    expect((await run(['export', '--data', dir, '--out', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('reports a tampered log, exits 1 and refuses to export it', async () => {
    const dir = dataDirWithLog();
    const file = join(dir, AUDIT_LOG_FILE);
    writeFileSync(file, readFileSync(file, 'utf8').replace('9 ms', '1 ms'));
    const verified = await run(['verify', '--data', dir]);
    expect(verified.code).toBe(1);
    expect(verified.out[0]).toMatch(/chain broken at line 2/);
    const exported = await run(['export', '--data', dir, '--out', join(dir, 'x.jsonl')]);
    expect(exported.code).toBe(1);
  });

  it('finds a log whose last entries were deleted, against its anchor in the job record', async () => {
    const dir = dataDirWithLog(true);
    expect((await run(['verify', '--data', dir])).code).toBe(0);
    const file = join(dir, AUDIT_LOG_FILE);
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, `${lines[0] ?? ''}\n`); // still a valid chain of one entry
    const verified = await run(['verify', '--data', dir, '--json']);
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.out[0] ?? '{}')).toMatchObject({
      entries: 1,
      intact: false,
      problem:
        'does not match its anchor in the job record: the log has 1 entries, but 2 were anchored: 1 missing',
    });
  });

  it('finds a log rewritten from scratch, against its anchor', async () => {
    const dir = dataDirWithLog(true);
    const file = join(dir, AUDIT_LOG_FILE);
    writeFileSync(file, '');
    const { log } = AuditLog.open(file, () => 2);
    log.append({ kind: 'stop', actor: 'operator', subject: 'stop-1', detail: 'fleet' });
    log.append({ kind: 'confirm', actor: 'sim-01', subject: 'stop-1', detail: '1 ms' });
    log.close();
    const verified = await run(['verify', '--data', dir]);
    expect(verified.code).toBe(1);
    expect(verified.out[0]).toMatch(/entry 2 does not match its anchor \(the log was rewritten\)/);
  });

  it('says so when there is no log, and wants an action', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-audit-cli-'));
    expect((await run(['verify', '--data', dir])).err[0]).toMatch(/no audit log/);
    await expect(run(['--data', dir])).rejects.toThrow(/audit verify or audit export/);
  });
});
