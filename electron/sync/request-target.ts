/**
 * The request target of an HTTP request or WebSocket upgrade, read without throwing: every
 * route of the station's network face (the sync endpoint here, the HTTP server and UI bridge
 * above) reads paths and query parameters through this, so a malformed target (`/sync/%ZZ`, an
 * absolute form that is no URL such as `http://[x/sync/a`) is a 400 for that request, never an
 * exception in the server.
 *
 * RFC 9112 §3.2: a server accepts the origin form (`/path?query`) and the absolute form
 * (`http://host/path?query`); the asterisk and authority forms have no meaning here.
 */
import type { Duplex } from 'node:stream';

export interface RequestTarget {
  /** The path as sent (still percent-encoded), always starting with '/'. */
  readonly path: string;
  readonly params: URLSearchParams;
}

export type RequestTargetResult =
  | { readonly ok: true; readonly target: RequestTarget }
  | { readonly ok: false; readonly problem: string };

const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\//i;

export function parseRequestTarget(raw: string | undefined): RequestTargetResult {
  const url = raw ?? '';
  if (url.startsWith('/')) return split(url);
  if (ABSOLUTE_FORM.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { ok: false, problem: 'the request target is not a valid URL' };
    }
    return split(`${parsed.pathname}${parsed.search}`);
  }
  return { ok: false, problem: 'the request target must be a path or an absolute URL' };
}

function split(originForm: string): RequestTargetResult {
  const q = originForm.indexOf('?');
  const path = q < 0 ? originForm : originForm.slice(0, q);
  // URLSearchParams keeps malformed percent escapes as they are; it never throws.
  const params = new URLSearchParams(q < 0 ? '' : originForm.slice(q + 1));
  return { ok: true, target: { path, params } };
}

/** Percent-decodes one path segment; null when it is not valid percent-encoded UTF-8. */
export function decodePathSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Answers an upgrade that will not be accepted with a plain HTTP status and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: string, message = status): void {
  if (socket.destroyed) return;
  socket.end(
    `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}
