/**
 * Who is on the other end of a sync session, as established by the transport's auth
 * (docs/sync-schema.md, "Who may write what"): the station that runs the job (as its tractors'
 * replicas see it, or a peer station sharing the job), a remote operator (a holder of the
 * operator or admin token at /sync/<job>, or the farm office mirror), a tractor, a viewer.
 */
export type PeerRole = 'station' | 'operator' | 'tractor' | 'viewer';

export interface Principal {
  readonly role: PeerRole;
  /** Station id, tractor id, or a viewer's session label. */
  readonly id: string;
}

export type RejectReason =
  | 'malformed'
  | 'forbidden'
  | 'clock-gap'
  | 'invalid-content'
  | 'client-spoofed'
  | 'too-large'
  | 'rate-limited';

export interface Rejection {
  readonly reason: RejectReason;
  readonly detail: string;
}

/**
 * Yjs client ids bound to tractors. A tractor's writes are trusted only under client ids bound
 * to it (first use binds); a client id bound to one tractor is refused from anyone claiming to
 * be another, and writes a station relays under a tractor's client id are held to that
 * tractor's rules.
 */
export class ClientBindings {
  private readonly byClient = new Map<number, string>();

  tractorOf(client: number): string | undefined {
    return this.byClient.get(client);
  }

  bind(client: number, tractorId: string): void {
    this.byClient.set(client, tractorId);
  }

  entries(): [number, string][] {
    return [...this.byClient];
  }
}
