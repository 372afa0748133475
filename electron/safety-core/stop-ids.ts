/**
 * Stop ids, `<prefix>-<wall clock ms in base 36>-<n>`: never one issued or reserved before (an
 * earlier run's stops), even with the clock set back, so a release of an old stop cannot end a
 * new one.
 */
export class StopIds {
  private nextSeq = 1;
  private readonly used = new Set<string>();

  constructor(private readonly prefix: string) {}

  reserve(ids: Iterable<string>): void {
    for (const id of ids) this.used.add(id);
  }

  /** A fresh id; `taken` names further ids to pass over. */
  next(wallMs: number, taken: (id: string) => boolean = () => false): string {
    let id = `${this.prefix}-${wallMs.toString(36)}-${this.nextSeq++}`;
    while (this.used.has(id) || taken(id))
      id = `${this.prefix}-${wallMs.toString(36)}-${this.nextSeq++}`;
    this.used.add(id);
    return id;
  }
}
