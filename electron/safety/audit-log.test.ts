import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog, readAuditLog } from './audit-log.js';

function freshLog(): { file: string; log: AuditLog } {
  const file = join(mkdtempSync(join(tmpdir(), 'headland-audit-')), 'audit.log');
  let wall = 1_000;
  const { log, problem } = AuditLog.open(file, () => wall++);
  expect(problem).toBeNull();
  return { file, log };
}

function writeThree(log: AuditLog): void {
  log.append({ kind: 'stop', actor: 'operator', subject: 'stop-1', detail: 'scope fleet' });
  log.append({ kind: 'confirm', actor: 'sim-01', subject: 'stop-1', detail: '12 ms' });
  log.append({ kind: 'release', actor: 'operator', subject: 'stop-1', detail: 'sim-01' });
}

describe('audit log', () => {
  it('chains every entry to the one before and verifies', () => {
    const { file, log } = freshLog();
    writeThree(log);
    log.close();
    const check = readAuditLog(file);
    expect(check.broken).toBeNull();
    expect(check.entries.map((e) => e.kind)).toEqual(['stop', 'confirm', 'release']);
    expect(check.entries[1]?.prev).toBe(check.entries[0]?.hash);
  });

  it('continues the chain after a reopen', () => {
    const { file, log } = freshLog();
    writeThree(log);
    log.close();
    const reopened = AuditLog.open(file, () => 2_000);
    expect(reopened.problem).toBeNull();
    reopened.log.append({ kind: 'ack', actor: 'operator', subject: 'alert-1', detail: '' });
    reopened.log.close();
    const check = readAuditLog(file);
    expect(check.broken).toBeNull();
    expect(check.entries).toHaveLength(4);
  });

  it('detects an edited entry, moves the log aside and carries over the intact part', () => {
    const { file, log } = freshLog();
    writeThree(log);
    log.close();
    writeFileSync(file, readFileSync(file, 'utf8').replace('"12 ms"', '"2 ms"'));
    expect(readAuditLog(file).broken).toEqual({
      line: 2,
      reason: 'its hash does not match its content',
    });
    const reopened = AuditLog.open(file, () => 3_000);
    expect(reopened.problem).toMatch(/chain broken at line 2/);
    reopened.log.close();
    const kept = readAuditLog(file);
    expect(kept.broken).toBeNull();
    expect(kept.entries.map((e) => e.kind)).toEqual(['stop', 'log-recovered']);
    const dir = join(file, '..');
    expect(readdirSync(dir).some((name) => name.startsWith('audit.log.broken-'))).toBe(true);
  });

  it('detects a deleted entry', () => {
    const { file, log } = freshLog();
    writeThree(log);
    log.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, [lines[0], lines[2], ''].join('\n'));
    expect(readAuditLog(file).broken?.line).toBe(2);
  });

  it('drops a torn last line left by a crash and keeps everything before it', () => {
    const { file, log } = freshLog();
    writeThree(log);
    log.close();
    appendFileSync(file, '{"seq":3,"atWallMs":5,"kind":"st');
    const reopened = AuditLog.open(file, () => 4_000);
    expect(reopened.problem).toMatch(/torn entry/);
    reopened.log.close();
    const check = readAuditLog(file);
    expect(check.broken).toBeNull();
    expect(check.entries.map((e) => e.kind)).toEqual([
      'stop',
      'confirm',
      'release',
      'log-recovered',
    ]);
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });
});
