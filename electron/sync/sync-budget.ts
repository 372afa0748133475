/**
 * How many sync pieces one fleet-link node keeps in flight over all its peers together. A
 * station syncing twenty tractors at once would otherwise run twenty TP transfers side by side:
 * each then takes twenty times its wire time, outlives its retransmission timer and is sent
 * again — congestion collapse on a shared 250 kbit/s bus (measured: with the job's initial
 * sync to 20 tractors the bus sat at 100% for a minute and no transfer completed). Channels
 * waiting for a slot are served in turn — except that a catch-up (a peer's step 2: a machine
 * back from a radio cut, or joining) goes before routine updates, which meanwhile merge into
 * fewer, larger messages while they wait.
 */
/**
 * One piece at a time per node. Measured (bench sync.rejoin_can_ms, 20 tractors): 4 → 4.5 s,
 * 2 → 1.5 s, 1 → 1.2 s. Concurrent transfers from one node starve each other's CTS frames
 * (a TP.CM frame, PF 0xEC, loses arbitration to every pending TP.DT frame, PF 0xEB), so
 * they do not add throughput, only delay.
 */
export const DEFAULT_SYNC_BUDGET = 1;

export class SyncBudget {
  private used = 0;
  private readonly waiting: { wake: () => void; urgent: boolean }[] = [];

  constructor(readonly limit = DEFAULT_SYNC_BUDGET) {}

  get inUse(): number {
    return this.used;
  }

  /** Takes a slot if one is free. */
  tryTake(): boolean {
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }

  /**
   * Returns a slot and wakes waiting channels in turn until the free slots are taken; `first`
   * (a channel in the middle of a catch-up) may take it back before any of them.
   */
  give(first?: () => void): void {
    this.used = Math.max(0, this.used - 1);
    first?.();
    while (this.used < this.limit && this.waiting.length > 0) this.waiting.shift()?.wake();
  }

  /** Calls `wake` once when a slot is returned: urgent waiters first, each class in turn. */
  wait(wake: () => void, urgent = false): void {
    if (this.waiting.some((w) => w.wake === wake)) return;
    const at = urgent ? this.waiting.findIndex((w) => !w.urgent) : -1;
    if (at < 0) this.waiting.push({ wake, urgent });
    else this.waiting.splice(at, 0, { wake, urgent });
  }

  /** Forgets a waiter (its channel closed). */
  cancel(wake: () => void): void {
    const i = this.waiting.findIndex((w) => w.wake === wake);
    if (i >= 0) this.waiting.splice(i, 1);
  }
}
