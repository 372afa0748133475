import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccessTokens } from './access-tokens.js';
import { TOKENS_FILE, keptTokens } from './token-file.js';

const folder = (): string => mkdtempSync(join(tmpdir(), 'headland-tokens-'));

describe('role tokens kept in the data folder', () => {
  it('are the same at the next start, in a file only its owner reads', () => {
    const dir = folder();
    const first = keptTokens(dir, {}, 0);
    expect(first.note).toContain('written');
    const second = keptTokens(dir, {}, 0);
    expect(second.tokens).toEqual(first.tokens);
    expect(second.note).toBeNull();
    if (process.platform !== 'win32')
      expect(statSync(join(dir, TOKENS_FILE)).mode & 0o777).toBe(0o600);
  });

  it('change only when an admin rotates one; a token given on the command line is not kept', () => {
    const dir = folder();
    const first = keptTokens(dir, {}, 0);
    const given = 'operator-from-the-flag';
    const run = keptTokens(dir, { operator: given }, 0);
    expect(run.tokens.operator).toBe(given);
    const access = new AccessTokens(run.tokens, (role, token) => run.rotated(role, token));
    const viewer = access.rotate('viewer');
    access.rotate('operator');
    const next = keptTokens(dir, {}, 0);
    expect(next.tokens.viewer).toBe(viewer);
    expect(next.tokens.viewer).not.toBe(first.tokens.viewer);
    expect(next.tokens.operator).toBe(first.tokens.operator);
    expect(next.tokens.admin).toBe(first.tokens.admin);
  });

  it('moves an unreadable file aside, makes new ones and says so', () => {
    const dir = folder();
    writeFileSync(join(dir, TOKENS_FILE), '{"version":1,"tokens":{"admin":"short"}}');
    const run = keptTokens(dir, {}, 0);
    expect(run.note).toMatch(/unreadable .*earlier links no longer open the station/);
    expect(readdirSync(dir).some((f) => f.startsWith(`${TOKENS_FILE}.corrupt`))).toBe(true);
    expect(keptTokens(dir, {}, 0).tokens).toEqual(run.tokens);
  });
});
