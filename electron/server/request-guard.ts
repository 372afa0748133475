/**
 * Who may reach the station's HTTP face from a browser. Two checks, before any route:
 *
 * - **Host.** A request must name a host the station serves: an IP literal, `localhost`, or a
 *   name the operator configured (`serve --allow-host`). A web page that rebinds its own DNS
 *   name to the station's address (DNS rebinding) still sends its own name, and is refused
 *   with 421 (RFC 9110 §15.5.20).
 * - **Origin.** A browser names the page behind every WebSocket and cross-origin request. It must
 *   be the station's own origin (same host as the request) or one the operator configured
 *   (`serve --allow-origin`); any other page, and the opaque origin `null`, is refused with 403.
 *   Without this any site the operator opens could connect as a viewer: see the fleet, read
 *   exports and send stops (RFC 6455 §10.2: servers must check Origin).
 *
 * Programs that are not browsers (stock y-websocket clients, curl, the bench) send no Origin and
 * pass; they hold tokens where tokens are needed. The fleet stop stays open to every role that
 * reaches the station legitimately: only requests from foreign pages are refused.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';

export interface RequestGuardOptions {
  /** Host names (without port) served besides IP literals and localhost. */
  allowedHosts?: readonly string[];
  /** Origins (scheme://host[:port]) allowed besides the station's own. */
  allowedOrigins?: readonly string[];
}

export type GuardVerdict =
  { ok: true } | { ok: false; status: 403 | 421; reason: 'host' | 'origin'; message: string };

export class RequestGuard {
  private readonly hosts: ReadonlySet<string>;
  private readonly origins: ReadonlySet<string>;

  constructor(options: RequestGuardOptions = {}) {
    this.hosts = new Set((options.allowedHosts ?? []).map((h) => h.toLowerCase()));
    this.origins = new Set((options.allowedOrigins ?? []).map((o) => o.toLowerCase()));
  }

  judge(headers: IncomingHttpHeaders): GuardVerdict {
    const host = headers.host;
    if (host !== undefined && !this.servesHost(host))
      return {
        ok: false,
        status: 421,
        reason: 'host',
        message: `this station does not serve the host '${printable(host)}'`,
      };
    const origin = headers.origin;
    if (origin !== undefined && !this.allowsOrigin(origin, host))
      return {
        ok: false,
        status: 403,
        reason: 'origin',
        message: `pages from '${printable(origin)}' may not use this station`,
      };
    return { ok: true };
  }

  private servesHost(hostHeader: string): boolean {
    const name = hostName(hostHeader);
    if (name === null) return false;
    if (isIPv4(name) || isIPv6(name) || name === 'localhost') return true;
    return this.hosts.has(name);
  }

  private allowsOrigin(origin: string, hostHeader: string | undefined): boolean {
    const lower = origin.toLowerCase();
    if (this.origins.has(lower)) return true;
    let url: URL;
    try {
      url = new URL(lower);
    } catch {
      return false; // `null` (sandboxed frames, file://) and anything unparsable
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return hostHeader !== undefined && url.host === hostHeader.toLowerCase();
  }
}

/** The host name of a Host header (`name`, `name:port`, `[v6]:port`); null when malformed. */
function hostName(hostHeader: string): string | null {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return null;
    const rest = value.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return null;
    return value.slice(1, end);
  }
  const match = /^([a-z0-9.-]+)(?::\d{1,5})?$/.exec(value);
  return match?.[1] ?? null;
}

function printable(text: string): string {
  return text.slice(0, 100).replace(/[^\x20-\x7e]/g, '?');
}
