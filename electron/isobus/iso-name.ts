/**
 * The 64-bit ISO 11783-5 §4.3 (J1939-81 §4.1) NAME. Bit layout, least significant first:
 * identity number 21, manufacturer code 11, ECU instance 3, function instance 5, function 8,
 * reserved 1, device class 7, device class instance 4, industry group 3, self-configurable 1.
 * Sent little-endian; the numerically lower NAME has the higher priority in address contention.
 */
export interface IsoNameFields {
  readonly identityNumber: number;
  readonly manufacturerCode: number;
  readonly ecuInstance: number;
  readonly functionInstance: number;
  readonly function: number;
  readonly deviceClass: number;
  readonly deviceClassInstance: number;
  readonly industryGroup: number;
  /** "Arbitrary address capable": may pick another address when it loses one. */
  readonly selfConfigurable: boolean;
}

export class IsoNameError extends Error {
  override readonly name = 'IsoNameError';
}

const LAYOUT: readonly (readonly [keyof IsoNameFields, number, number])[] = [
  ['identityNumber', 0, 21],
  ['manufacturerCode', 21, 11],
  ['ecuInstance', 32, 3],
  ['functionInstance', 35, 5],
  ['function', 40, 8],
  ['deviceClass', 49, 7],
  ['deviceClassInstance', 56, 4],
  ['industryGroup', 60, 3],
];

/** Industry group 2 is agricultural and forestry equipment (ISO 11783-1 Annex B). */
export const INDUSTRY_GROUP_AGRICULTURE = 2;

export function encodeName(fields: IsoNameFields): bigint {
  let value = 0n;
  for (const [key, shift, width] of LAYOUT) {
    const v = fields[key] as number;
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** width)
      throw new IsoNameError(`NAME ${key} ${v} does not fit ${width} bits`);
    value |= BigInt(v) << BigInt(shift);
  }
  if (fields.selfConfigurable) value |= 1n << 63n;
  return value;
}

export function decodeName(value: bigint): IsoNameFields {
  const out: Record<string, number | boolean> = {};
  for (const [key, shift, width] of LAYOUT)
    out[key] = Number((value >> BigInt(shift)) & ((1n << BigInt(width)) - 1n));
  out.selfConfigurable = ((value >> 63n) & 1n) === 1n;
  return out as unknown as IsoNameFields;
}

export function nameToBytes(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  return out;
}

export function nameFromBytes(data: Uint8Array, offset = 0): bigint {
  if (data.length < offset + 8)
    throw new IsoNameError(`NAME needs 8 bytes, got ${data.length - offset}`);
  let value = 0n;
  for (let i = 7; i >= 0; i--) value = (value << 8n) | BigInt(data[offset + i] ?? 0);
  return value;
}

/** Negative when `a` has the higher priority (the lower value) — it wins contention. */
export function compareNames(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isSelfConfigurable(value: bigint): boolean {
  return ((value >> 63n) & 1n) === 1n;
}

export function formatName(value: bigint): string {
  return value.toString(16).toUpperCase().padStart(16, '0');
}
