/**
 * The job's refill point as the simulated fleet shares it: one machine fills at a time, the
 * others wait their turn in the order they arrived, and every wait is measured (the plan
 * staggers trips so that nobody waits; bench/plan-executed.ts reports the longest wait).
 */
export class RefillDock {
  private holder: string | null = null;
  private readonly waiting: string[] = [];
  private readonly waitedS = new Map<string, number>();

  /** Takes the point for `id` if it is free and nobody arrived before it; else `id` waits `dtS` more. */
  request(id: string, dtS: number): boolean {
    if (this.holder === id) return true;
    if (!this.waiting.includes(id)) this.waiting.push(id);
    if (this.holder === null && this.waiting[0] === id) {
      this.waiting.shift();
      this.holder = id;
      return true;
    }
    this.waited(id, dtS);
    return false;
  }

  /** `id` was held `dtS` next to the point: waiting for it if another machine is filling there. */
  heldNear(id: string, dtS: number): void {
    if (this.holder !== null && this.holder !== id) this.waited(id, dtS);
  }

  private waited(id: string, dtS: number): void {
    this.waitedS.set(id, (this.waitedS.get(id) ?? 0) + dtS);
  }

  release(id: string): void {
    if (this.holder === id) this.holder = null;
  }

  /** The longest any machine has waited at the point, summed over its trips (s). */
  get longestWaitS(): number {
    return Math.max(0, ...this.waitedS.values());
  }
}
