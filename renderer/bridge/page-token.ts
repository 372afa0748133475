/**
 * The role token of a browser page (docs/roles.md): `headland serve` prints links of the form
 * `http://HOST:PORT/?token=T`. The token is kept in sessionStorage (this tab only, gone when
 * it closes) and taken out of the address bar, so it does not end up in bookmarks, history or
 * screenshots. A page without one is a viewer.
 */
import { BRIDGE_NAME_PARAM, BRIDGE_TOKEN_PARAM } from '../../shared/index.js';

const TOKEN_KEY = 'headland.token';
const NAME_KEY = 'headland.name';

export interface PageCredentials {
  token: string | null;
  name: string | null;
}

export function pageCredentials(): PageCredentials {
  const url = new URL(window.location.href);
  const given = {
    token: url.searchParams.get(BRIDGE_TOKEN_PARAM),
    name: url.searchParams.get(BRIDGE_NAME_PARAM),
  };
  if (given.token !== null) window.sessionStorage.setItem(TOKEN_KEY, given.token);
  if (given.name !== null) window.sessionStorage.setItem(NAME_KEY, given.name);
  if (given.token !== null || given.name !== null) {
    url.searchParams.delete(BRIDGE_TOKEN_PARAM);
    url.searchParams.delete(BRIDGE_NAME_PARAM);
    window.history.replaceState(window.history.state, '', url.href);
  }
  return {
    token: window.sessionStorage.getItem(TOKEN_KEY),
    name: window.sessionStorage.getItem(NAME_KEY),
  };
}

/** This tab's role token, if its link gave one (exports send it: docs/roles.md). */
export function storedToken(): string | null {
  return window.sessionStorage.getItem(TOKEN_KEY);
}

/** The bridge URL's query for these credentials ('' for none). */
export function credentialQuery(credentials: PageCredentials): string {
  const params = new URLSearchParams();
  if (credentials.token) params.set(BRIDGE_TOKEN_PARAM, credentials.token);
  if (credentials.name) params.set(BRIDGE_NAME_PARAM, credentials.name);
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}
