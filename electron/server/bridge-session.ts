/**
 * Who a bridge connection is, from its upgrade request (docs/roles.md): the `token` query
 * parameter names the role; none makes a viewer, and so does an unknown one (a link from before a
 * restart or a rotation), with a note that says why. The optional
 * `name` parameter labels the session in the audit log; it is the client's own word, so it is
 * trimmed to printable characters and always shown beside the authenticated role.
 */
import { BRIDGE_NAME_PARAM, BRIDGE_TOKEN_PARAM, type Session } from '../../shared/index.js';
import type { AccessTokens } from './access-tokens.js';

const MAX_NAME_LENGTH = 40;
const UNKNOWN_TOKEN_NOTE =
  "this link's token is not valid here (rotated, or from another station): viewing only — you may still stop the fleet";

export type SessionLookup =
  { ok: true; session: Session; byToken: boolean } | { ok: false; reason: string };

export function sessionFromRequest(params: URLSearchParams, tokens: AccessTokens): SessionLookup {
  const token = params.get(BRIDGE_TOKEN_PARAM) ?? '';
  const role = token === '' ? 'viewer' : tokens.roleOf(token);
  const name = cleanName(params.get(BRIDGE_NAME_PARAM));
  // A link with an unknown or rotated token still sees the fleet and may stop it, as anyone who
  // reaches the station may; it is told why it can do no more, instead of being shut out.
  if (role === null)
    return {
      ok: true,
      session: { name: name ?? 'viewer', role: 'viewer', note: UNKNOWN_TOKEN_NOTE },
      byToken: false,
    };
  return { ok: true, session: { name: name ?? role, role }, byToken: token !== '' };
}

function cleanName(raw: string | null): string | null {
  if (raw === null) return null;
  const name = raw
    .replace(/[^\p{L}\p{N} ._@-]/gu, '')
    .trim()
    .slice(0, MAX_NAME_LENGTH);
  return name === '' ? null : name;
}
