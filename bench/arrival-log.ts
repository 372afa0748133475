/**
 * Frames as a listening instrument heard them, kept in typed arrays until the end: recording
 * one allocates nothing the collector has to trace or copy, and nothing touches the disk while
 * the instrument is timing arrivals (a write that meets the kernel's writeback, or a scavenge of
 * thousands of retained lines, would delay the next frame's arrival stamp, not the station).
 */
import { writeFileSync } from 'node:fs';
import { formatFrame, type CanFrame } from '../electron/can/index.js';

const FIRST_CAPACITY = 1 << 16;
const DATA_BYTES = 8;

export class ArrivalLog {
  private count = 0;
  private ids = new Uint32Array(FIRST_CAPACITY);
  /** Bit 7: extended identifier; bits 0–3: data length. */
  private flags = new Uint8Array(FIRST_CAPACITY);
  private data = new Uint8Array(FIRST_CAPACITY * DATA_BYTES);
  private stamps = new Float64Array(FIRST_CAPACITY);
  private arrivals = new Float64Array(FIRST_CAPACITY);

  get size(): number {
    return this.count;
  }

  record(frame: CanFrame, arrivedMs: number): void {
    if (this.count === this.ids.length) this.grow();
    const i = this.count++;
    this.ids[i] = frame.id;
    this.flags[i] = (frame.extended ? 0x80 : 0) | frame.data.length;
    this.data.set(frame.data, i * DATA_BYTES);
    this.stamps[i] = frame.timestampMs ?? 0;
    this.arrivals[i] = arrivedMs;
  }

  /** One line a frame: `ID#DATA STAMP ARRIVED` (the station's stamp, then the arrival). */
  lines(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.count; i++) {
      const length = (this.flags[i] ?? 0) & 0x0f;
      const frame: CanFrame = {
        id: this.ids[i] ?? 0,
        extended: ((this.flags[i] ?? 0) & 0x80) !== 0,
        data: this.data.subarray(i * DATA_BYTES, i * DATA_BYTES + length),
      };
      out.push(`${formatFrame(frame)} ${this.stamps[i]} ${this.arrivals[i]}`);
    }
    return out;
  }

  writeTo(path: string): void {
    const lines = this.lines();
    writeFileSync(path, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  }

  private grow(): void {
    const capacity = this.ids.length * 2;
    const widen = <T extends Uint32Array | Uint8Array | Float64Array>(old: T, size: number): T => {
      const next = new (old.constructor as new (n: number) => T)(size);
      next.set(old);
      return next;
    };
    this.ids = widen(this.ids, capacity);
    this.flags = widen(this.flags, capacity);
    this.data = widen(this.data, capacity * DATA_BYTES);
    this.stamps = widen(this.stamps, capacity);
    this.arrivals = widen(this.arrivals, capacity);
  }
}
