/** How the station's HTTP face answers: JSON bodies and the headers every answer carries. */
import type { ServerResponse } from 'node:http';

/**
 * No page of the station leaks its address to another site: the operator's link carries the
 * role token in its query until the page takes it out (OWASP Secure Headers, Referrer-Policy).
 */
export const REFERRER_POLICY = { 'referrer-policy': 'no-referrer' } as const;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...REFERRER_POLICY,
    ...headers,
  });
  res.end(JSON.stringify(body));
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
