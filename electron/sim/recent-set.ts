/** A set that keeps only the `capacity` most recently remembered values (oldest forgotten first). */
export class RecentSet<T> {
  private readonly values = new Set<T>();

  constructor(private readonly capacity: number) {}

  remember(value: T): void {
    this.values.delete(value);
    this.values.add(value);
    while (this.values.size > this.capacity) {
      const oldest = this.values.values().next();
      if (oldest.done) break;
      this.values.delete(oldest.value);
    }
  }

  has(value: T): boolean {
    return this.values.has(value);
  }
}
