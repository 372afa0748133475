/**
 * How many connections one address and one role may hold, so that no client can take the
 * station's file descriptors, memory or event loop from the others:
 *
 * - every TCP connection costs a file descriptor; the job record, the audit log, the job
 *   document and the CAN capture need theirs too (20,000 idle connections used to exhaust them
 *   and the next write of the job record failed). The server holds at most half the process's
 *   open-file limit (4,096 at most); one address at most 128 connections that have not become
 *   WebSockets, each closed after 20 s without a byte while no request of it is being answered
 *   (a download waiting its turn behind other exports is the station's wait, not the client's);
 * - every WebSocket (UI bridge, job document) is served state: one address holds at most 64,
 *   and all viewers together 128, operators 32, admins 16 — a field laptop serves a few pages
 *   and a farm office, not a crowd.
 *
 * Over a cap the connection is refused at once (closed, or HTTP 429 for an upgrade), which
 * costs the station nearly nothing.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Role } from '../../shared/index.js';

export interface ConnectionLimitsConfig {
  /** Connections of one address still speaking HTTP (not upgraded). */
  readonly perAddress: number;
  /** WebSockets of one address. */
  readonly upgradesPerAddress: number;
  /** WebSockets of each role, all addresses together. */
  readonly upgradesPerRole: Readonly<Record<Role, number>>;
  /** A connection silent this long is closed (WebSockets excepted). */
  readonly idleMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimitsConfig = {
  perAddress: 128,
  upgradesPerAddress: 64,
  upgradesPerRole: { viewer: 128, operator: 32, admin: 16 },
  idleMs: 20_000,
};

/** Connections the server accepts in all when the open-file limit cannot be read. */
const DEFAULT_MAX_CONNECTIONS = 1_024;
const MAX_CONNECTIONS_CEILING = 4_096;

/** Half the process's open-file limit (Linux /proc/self/limits), at most 4,096. */
export function connectionBudget(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
    if (soft) return Math.min(MAX_CONNECTIONS_CEILING, Math.floor(Number(soft) / 2));
  } catch {
    // Not Linux: the default.
  }
  return DEFAULT_MAX_CONNECTIONS;
}

export type ConnectionRefusal = 'address-connections' | 'address-upgrades' | 'role-upgrades';

interface Tracked {
  readonly address: string;
  role: Role | null;
  /** Requests of this connection being answered now (keep-alive sends them one after another). */
  answering: number;
}

export class ConnectionLimits {
  private readonly pending = new Map<string, number>();
  private readonly upgraded = new Map<string, number>();
  private readonly roles = new Map<Role, number>();
  private readonly tracked = new WeakMap<Duplex, Tracked>();

  constructor(readonly config: ConnectionLimitsConfig = DEFAULT_CONNECTION_LIMITS) {}

  /** A new connection; the reason to refuse it (the caller destroys it), or null. */
  accept(socket: Socket): ConnectionRefusal | null {
    const address = socket.remoteAddress ?? '';
    if ((this.pending.get(address) ?? 0) >= this.config.perAddress) return 'address-connections';
    bump(this.pending, address, 1);
    const entry: Tracked = { address, role: null, answering: 0 };
    this.tracked.set(socket, entry);
    socket.setTimeout(this.config.idleMs, () => socket.destroy());
    socket.once('close', () => {
      if (entry.role === null) bump(this.pending, address, -1);
      else {
        bump(this.upgraded, address, -1);
        bump(this.roles, entry.role, -1);
      }
    });
    return null;
  }

  /** A request of `socket` is being answered: the station is the one silent, not the client. */
  requestStarted(socket: Socket): void {
    const entry = this.tracked.get(socket);
    if (entry?.role !== null) return;
    entry.answering++;
    socket.setTimeout(0);
  }

  /** The answer is handed over (or failed): silence counts against the client again. */
  requestEnded(socket: Socket): void {
    const entry = this.tracked.get(socket);
    if (entry?.role !== null || entry.answering === 0) return;
    entry.answering--;
    if (entry.answering === 0 && !socket.destroyed) socket.setTimeout(this.config.idleMs);
  }

  /** An upgrade to a WebSocket of `role`; null when it may go ahead (counted until it closes). */
  admitUpgrade(socket: Duplex, role: Role): ConnectionRefusal | null {
    const entry = this.tracked.get(socket);
    if (!entry || entry.role !== null) return null; // not accepted through here (tests)
    if ((this.upgraded.get(entry.address) ?? 0) >= this.config.upgradesPerAddress)
      return 'address-upgrades';
    if ((this.roles.get(role) ?? 0) >= this.config.upgradesPerRole[role]) return 'role-upgrades';
    entry.role = role;
    bump(this.pending, entry.address, -1);
    bump(this.upgraded, entry.address, 1);
    bump(this.roles, role, 1);
    // A WebSocket has its own liveness (the bridge pushes state; sync peers may be quiet).
    (socket as Partial<Socket>).setTimeout?.(0);
    return null;
  }

  /** Open WebSockets per role (for /metrics and tests). */
  upgradesByRole(): Record<Role, number> {
    return {
      viewer: this.roles.get('viewer') ?? 0,
      operator: this.roles.get('operator') ?? 0,
      admin: this.roles.get('admin') ?? 0,
    };
  }
}

function bump<K>(map: Map<K, number>, key: K, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next <= 0) map.delete(key);
  else map.set(key, next);
}
