/**
 * The role tokens kept in the data folder (`tokens.json`, readable by its owner only), so a
 * bookmarked operator or viewer link keeps working across restarts until an admin rotates that
 * role's token. A token given on the command line overrides the kept one for that run and is
 * not written. A file that cannot be read is moved aside and new tokens are made (the old links
 * stop working, which the start-up line says).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Role } from '../../shared/index.js';
import { quarantine, readCheckedJson, stampJson, writeFileAtomically } from '../storage/index.js';
import { MIN_TOKEN_LENGTH, generateToken, type RoleTokens } from './access-tokens.js';

export const TOKENS_FILE = 'tokens.json';
/** Owner read and write only: a token opens the station to whoever holds it. */
const TOKENS_FILE_MODE = 0o600;

const tokenFileSchema = z.object({
  version: z.literal(1),
  tokens: z.object({
    admin: z.string().min(MIN_TOKEN_LENGTH).optional(),
    operator: z.string().min(MIN_TOKEN_LENGTH).optional(),
    viewer: z.string().min(MIN_TOKEN_LENGTH).optional(),
  }),
});

export interface KeptTokens {
  /** The tokens to use: the command line's where given, else the kept ones. */
  tokens: RoleTokens;
  /** What happened to the file at start, for the log; null when it was read as it was. */
  note: string | null;
  /** Keeps a rotated role's new token (a role overridden on the command line is not written). */
  rotated(role: Role, token: string): void;
}

export function keptTokens(
  dataDir: string,
  given: Partial<RoleTokens>,
  nowWallMs: number,
): KeptTokens {
  const file = join(dataDir, TOKENS_FILE);
  let kept: { [R in Role]?: string | undefined } = {};
  let note: string | null = null;
  if (existsSync(file)) {
    try {
      const checked = readCheckedJson(readFileSync(file, 'utf8'));
      if (!checked.ok) throw new Error(checked.error);
      const parsed = tokenFileSchema.safeParse(checked.value);
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'not a token file');
      kept = parsed.data.tokens;
    } catch (error) {
      const movedTo = quarantine(file, { wallMs: nowWallMs });
      note = `${file} unreadable (${error instanceof Error ? error.message : String(error)}; kept at ${movedTo}): new role tokens made, earlier links no longer open the station`;
      kept = {};
    }
  }
  const roles: Role[] = ['admin', 'operator', 'viewer'];
  const stored: RoleTokens = {
    admin: kept.admin ?? generateToken(),
    operator: kept.operator ?? generateToken(),
    viewer: kept.viewer ?? generateToken(),
  };
  // A kept token equal to one given for another role would make the roles ambiguous: renewed.
  for (const role of roles)
    if (roles.some((other) => other !== role && given[other] === stored[role]))
      stored[role] = generateToken();
  const save = (): void =>
    writeFileAtomically(file, stampJson({ version: 1, tokens: stored }), {
      mode: TOKENS_FILE_MODE,
    });
  if (roles.some((role) => kept[role] !== stored[role])) {
    save();
    note ??= `role tokens written to ${file} (kept until an admin rotates them)`;
  }
  return {
    tokens: {
      admin: given.admin ?? stored.admin,
      operator: given.operator ?? stored.operator,
      viewer: given.viewer ?? stored.viewer,
    },
    note,
    rotated(role, token) {
      if (given[role] !== undefined) return;
      stored[role] = token;
      save();
    },
  };
}
