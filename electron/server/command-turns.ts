/**
 * Operators' commands run one per turn of the event loop, in the order they came. A page that
 * sends fifty drags at once hands them over in one read of its socket; run together they held
 * the main thread for a second or more on a loaded machine, long enough for the safety core to
 * take the silence for a hung station and hold the fleet. One per turn, the thread answers the
 * core (and serves everything else) between them. Stops never wait here: they take the fast
 * path to the core first.
 */
export class CommandTurns {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  constructor(
    /** Runs `fn` in a later turn (Node: setImmediate). */
    private readonly nextTurn: (fn: () => void) => void = (fn) => void setImmediate(fn),
  ) {}

  /** Runs `work` in a turn of its own after the commands queued before it; its outcome. */
  run<T>(work: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        try {
          resolve(work());
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    this.nextTurn(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      this.schedule();
    });
  }
}
