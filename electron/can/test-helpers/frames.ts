import fc from 'fast-check';
import type { CanFrame } from '../can-frame.js';

export function extFrame(id: number, ...data: number[]): CanFrame {
  return { id, extended: true, data: Uint8Array.from(data) };
}

export function stdFrame(id: number, ...data: number[]): CanFrame {
  return { id, extended: false, data: Uint8Array.from(data) };
}

/** Arbitrary valid classic CAN frames (both formats, 0–8 bytes). */
export const arbitraryFrame: fc.Arbitrary<CanFrame> = fc.oneof(
  fc.record({
    id: fc.integer({ min: 0, max: 0x1fffffff }),
    extended: fc.constant(true),
    data: fc.uint8Array({ maxLength: 8 }),
  }),
  fc.record({
    id: fc.integer({ min: 0, max: 0x7ff }),
    extended: fc.constant(false),
    data: fc.uint8Array({ maxLength: 8 }),
  }),
);

export function sameFrame(a: CanFrame, b: CanFrame): boolean {
  return (
    a.id === b.id && a.extended === b.extended && Buffer.from(a.data).equals(Buffer.from(b.data))
  );
}
