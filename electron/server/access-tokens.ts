/**
 * The station's role tokens: one opaque secret per role (docs/roles.md). The same tokens open
 * the UI bridge (/api/ws) and the job document (/sync/<job>): admin and operator tokens write,
 * the viewer token reads. Tokens are compared in constant time; an admin may rotate one.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../shared/index.js';

/** Opaque tokens; a short one would be guessable. */
export const MIN_TOKEN_LENGTH = 12;
const TOKEN_BYTES = 18;

export type RoleTokens = Record<Role, string>;

export class TokenError extends Error {
  override readonly name = 'TokenError';
}

export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class AccessTokens {
  private readonly tokens: RoleTokens;

  constructor(tokens: RoleTokens) {
    const values = Object.values(tokens);
    for (const token of values)
      if (token.length < MIN_TOKEN_LENGTH)
        throw new TokenError(`a role token must be at least ${MIN_TOKEN_LENGTH} characters`);
    // One token per role: a shared one could not say which role its holder has.
    if (new Set(values).size !== values.length)
      throw new TokenError('the admin, operator and viewer tokens must differ');
    this.tokens = { ...tokens };
  }

  static generate(): AccessTokens {
    return new AccessTokens({
      admin: generateToken(),
      operator: generateToken(),
      viewer: generateToken(),
    });
  }

  /** The role a token grants, or null for a token the station does not know. */
  roleOf(token: string): Role | null {
    if (same(token, this.tokens.admin)) return 'admin';
    if (same(token, this.tokens.operator)) return 'operator';
    if (same(token, this.tokens.viewer)) return 'viewer';
    return null;
  }

  /**
   * The sync endpoint's view: admins and operators write the job document as remote operators
   * (what they may write: docs/sync-schema.md), viewers read it.
   */
  syncRoleOf(token: string): 'operator' | 'viewer' | null {
    const role = this.roleOf(token);
    if (role === null) return null;
    return role === 'viewer' ? 'viewer' : 'operator';
  }

  tokenOf(role: Role): string {
    return this.tokens[role];
  }

  /** Replaces a role's token: from now on only the new one opens anything. */
  rotate(role: Role): string {
    this.tokens[role] = generateToken();
    return this.tokens[role];
  }
}
