/**
 * Sends waiting for their turn, one line per session key: a node runs one transfer per peer and
 * kind at a time (ISO 11783-3 §5.10.1), and sends held while it has no address wait here too.
 * Each line is bounded; a full line refuses the send.
 */
export class SendQueue<T> {
  private readonly lines = new Map<string, T[]>();

  constructor(private readonly limit: number) {}

  /** Adds at the end of `key`'s line; false when the line is full. */
  push(key: string, item: T): boolean {
    const line = this.lines.get(key) ?? [];
    if (line.length >= this.limit) return false;
    line.push(item);
    this.lines.set(key, line);
    return true;
  }

  /** Puts a send back at the head of its line (it goes first when the line moves again). */
  unshift(key: string, item: T): void {
    const line = this.lines.get(key) ?? [];
    line.unshift(item);
    this.lines.set(key, line);
  }

  shift(key: string): T | undefined {
    const line = this.lines.get(key);
    const item = line?.shift();
    if (line?.length === 0) this.lines.delete(key);
    return item;
  }

  keys(): string[] {
    return [...this.lines.keys()];
  }

  /** Removes `key`'s whole line and returns it. */
  take(key: string): T[] {
    const line = this.lines.get(key) ?? [];
    this.lines.delete(key);
    return line;
  }
}
