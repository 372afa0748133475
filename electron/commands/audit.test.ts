import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

function dataDirWithLog(): string {
  const dir = mkdtempSync(join(tmpdir(), 'headland-audit-cli-'));
  const { log } = AuditLog.open(join(dir, AUDIT_LOG_FILE), () => 1);
  log.append({ kind: 'stop', actor: 'operator', subject: 'stop-1', detail: 'fleet' });
  log.append({ kind: 'confirm', actor: 'sim-01', subject: 'stop-1', detail: '9 ms' });
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

  it('says so when there is no log, and wants an action', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-audit-cli-'));
    expect((await run(['verify', '--data', dir])).err[0]).toMatch(/no audit log/);
    await expect(run(['--data', dir])).rejects.toThrow(/audit verify or audit export/);
  });
});
