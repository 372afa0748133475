/**
 * The job's refill point as the simulated fleet shares it: one machine fills at a time, the
 * others wait their turn in the order they arrived (at the point, or at its waiting place:
 * refill-approach.ts), and every wait is measured (the plan staggers trips so that nobody waits;
 * bench/plan-executed.ts reports the longest wait).
 */
export class RefillDock {
  private holder: string | null = null;
  private readonly waiting: string[] = [];
  private readonly waitedS = new Map<string, number>();
  /** The waiting place each machine makes for or stands at (see placeFor). */
  private readonly places = new Map<string, number>();

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

  /**
   * Whether the point is taken for `id`: another machine fills there, or waits its turn before
   * `id` (and may be driving in from the waiting place). A machine for which it is taken drives
   * to the waiting place, not at the point.
   */
  takenFor(id: string): boolean {
    if (this.holder !== null && this.holder !== id) return true;
    const first = this.waiting[0];
    return first !== undefined && first !== id;
  }

  /**
   * `id` stands at the waiting place `dtS` more: it keeps its place in the line, and the time is
   * a wait while the point is taken for it. True when its turn has come (it drives in, keeping
   * its place until it takes the point with `request`).
   */
  waitBeside(id: string, dtS: number): boolean {
    if (!this.waiting.includes(id) && this.holder !== id) this.waiting.push(id);
    if (!this.takenFor(id)) return true;
    this.waited(id, dtS);
    return false;
  }

  /**
   * The waiting place `id` makes for, 0 the nearest the point: its own until it drives in (the
   * lowest one free when it first asks), so two machines never make for the same one.
   */
  placeFor(id: string): number {
    const held = this.places.get(id);
    if (held !== undefined) return held;
    const taken = new Set(this.places.values());
    let place = 0;
    while (taken.has(place)) place++;
    this.places.set(id, place);
    return place;
  }

  /** Whether `id` has a waiting place (it makes for it or stands at it). */
  hasPlace(id: string): boolean {
    return this.places.has(id);
  }

  /** `id` no longer needs a waiting place (it drives in to the point). */
  leavePlace(id: string): void {
    this.places.delete(id);
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
