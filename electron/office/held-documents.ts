/**
 * Keeps the documents that office pages are looking at open on this node. A node hears another
 * node's changes through Redis only for documents it has open, and a document no client holds
 * is read from the data folder, stored up to 10 s after it changed on the node that holds it.
 * So while a page polls a job (or the overview), the job stays open here and every read is as
 * live as Redis makes it; a document nobody asked for in `idleMs` is let go.
 */
import type { Clock } from '../time/index.js';

export interface HeldHandle {
  disconnect(): Promise<void>;
}

export interface HeldDocumentsOptions {
  /** Opens the document on this node (Hocuspocus's direct connection). */
  readonly open: (name: string) => Promise<HeldHandle>;
  readonly clock: Clock;
  readonly idleMs: number;
  readonly log: (line: string) => void;
}

/** A page polls every 2 s: a document it stopped asking for is let go after 30 s. */
export const HOLD_IDLE_MS = 30_000;

interface Held {
  askedAtMs: number;
  handle: Promise<HeldHandle | null>;
}

export class HeldDocuments {
  private readonly held = new Map<string, Held>();
  private cancelSweep: (() => void) | null = null;
  private closed = false;

  constructor(private readonly options: HeldDocumentsOptions) {}

  hold(name: string): void {
    if (this.closed) return;
    const now = this.options.clock.now();
    const known = this.held.get(name);
    if (known) {
      known.askedAtMs = now;
      return;
    }
    const handle = this.options.open(name).catch((err: unknown) => {
      this.options.log(`office: could not open ${name} for a page: ${String(err)}`);
      this.held.delete(name);
      return null;
    });
    this.held.set(name, { askedAtMs: now, handle });
    this.scheduleSweep();
  }

  names(): string[] {
    return [...this.held.keys()];
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelSweep?.();
    this.cancelSweep = null;
    const all = [...this.held.values()];
    this.held.clear();
    await Promise.all(all.map((h) => release(h)));
  }

  private scheduleSweep(): void {
    if (this.cancelSweep) return;
    this.cancelSweep = this.options.clock.setTimer(this.options.idleMs, () => {
      this.cancelSweep = null;
      this.sweep();
    });
  }

  private sweep(): void {
    const now = this.options.clock.now();
    for (const [name, h] of this.held)
      if (now - h.askedAtMs >= this.options.idleMs) {
        this.held.delete(name);
        void release(h);
      }
    if (this.held.size > 0) this.scheduleSweep();
  }
}

async function release(h: Held): Promise<void> {
  await (await h.handle)?.disconnect();
}
