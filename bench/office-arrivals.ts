/**
 * Times each coverage batch from the station's write to its arrival in a viewer's copy. A
 * batch is known by its document and its bytes (`encodeSegments` is deterministic, and the
 * viewer's copy holds the same bytes the station pushed), so nothing extra rides in the job.
 */
import * as Y from 'yjs';

export class Arrivals {
  /** `<document>\0<base64 batch>` → when the station wrote it (ms, the bench's clock). */
  private readonly pending = new Map<string, number>();
  readonly latenciesMs: number[] = [];

  written(document: string, batch: Uint8Array, atMs: number): void {
    this.pending.set(keyOf(document, batch), atMs);
  }

  /** An update as the viewer's copy of `document` applied it; batches not written here are ignored. */
  arrived(document: string, update: Uint8Array, atMs: number): void {
    for (const batch of binaryContents(update)) {
      const key = keyOf(document, batch);
      const writtenAt = this.pending.get(key);
      if (writtenAt === undefined) continue;
      this.pending.delete(key);
      this.latenciesMs.push(atMs - writtenAt);
    }
  }

  /** Batches written that no viewer has seen yet. */
  get outstanding(): number {
    return this.pending.size;
  }

  /** Forgets every outstanding batch (they are counted as lost by the caller) and the latencies. */
  reset(): void {
    this.pending.clear();
    this.latenciesMs.length = 0;
  }
}

function keyOf(document: string, batch: Uint8Array): string {
  return `${document}\0${Buffer.from(batch).toString('base64')}`;
}

/** Every binary value an update inserts (coverage batches are the job's only binary values). */
function binaryContents(update: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item)) continue;
    for (const value of struct.content.getContent() as unknown[])
      if (value instanceof Uint8Array) out.push(value);
  }
  return out;
}
