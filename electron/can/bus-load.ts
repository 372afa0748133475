/** Measures the share of wire time in use over a sliding window. */
export class BusLoadMeter {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private head = 0;
  private static readonly HORIZON_MS = 60_000;

  record(startMs: number, endMs: number): void {
    this.starts.push(startMs);
    this.ends.push(endMs);
    // Forget frames older than any window we answer for, so memory stays bounded.
    while (
      this.head < this.ends.length &&
      (this.ends[this.head] ?? 0) < endMs - BusLoadMeter.HORIZON_MS
    )
      this.head++;
    if (this.head > 4096) {
      this.starts.splice(0, this.head);
      this.ends.splice(0, this.head);
      this.head = 0;
    }
  }

  loadOver(nowMs: number, windowMs: number): number {
    const from = nowMs - windowMs;
    let busy = 0;
    for (let i = this.ends.length - 1; i >= this.head; i--) {
      const s = this.starts[i] ?? 0;
      const e = this.ends[i] ?? 0;
      if (e <= from) break;
      busy += Math.max(0, Math.min(e, nowMs) - Math.max(s, from));
    }
    return windowMs > 0 ? Math.min(1, busy / windowMs) : 0;
  }
}
