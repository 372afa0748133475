/**
 * Who a bridge connection is, from its upgrade request (docs/roles.md): the `token` query
 * parameter names the role, none makes a viewer, an unknown one is refused. The optional
 * `name` parameter labels the session in the audit log; it is the client's own word, so it is
 * trimmed to printable characters and always shown beside the authenticated role.
 */
import { BRIDGE_NAME_PARAM, BRIDGE_TOKEN_PARAM, type Session } from '../../shared/index.js';
import type { AccessTokens } from './access-tokens.js';

const MAX_NAME_LENGTH = 40;

export type SessionLookup =
  { ok: true; session: Session; byToken: boolean } | { ok: false; reason: string };

export function sessionFromRequest(params: URLSearchParams, tokens: AccessTokens): SessionLookup {
  const token = params.get(BRIDGE_TOKEN_PARAM) ?? '';
  const role = token === '' ? 'viewer' : tokens.roleOf(token);
  if (role === null)
    return { ok: false, reason: 'unknown token: open the link headland serve printed' };
  const name = cleanName(params.get(BRIDGE_NAME_PARAM)) ?? role;
  return { ok: true, session: { name, role }, byToken: token !== '' };
}

function cleanName(raw: string | null): string | null {
  if (raw === null) return null;
  const name = raw
    .replace(/[^\p{L}\p{N} ._@-]/gu, '')
    .trim()
    .slice(0, MAX_NAME_LENGTH);
  return name === '' ? null : name;
}
