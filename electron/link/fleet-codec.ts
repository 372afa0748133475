/**
 * Bodies of the fleet messages that ride the reliable channel, and the mapping of string ids
 * to the 32-bit references compact frames carry (FNV-1a, crc.ts). Layouts are in
 * docs/fleet-protocol.md §Reliable message bodies. Decoders validate every field and throw
 * BodyDecodeError, which the ports count and drop.
 */
import type { AutonomyMode, ImplementCapacity, LonLat, TractorState } from '../../shared/index.js';
import { NO_CAPACITY, autonomyModeSchema, capacityProblem } from '../../shared/index.js';
import { BodyDecodeError, ByteReader, ByteWriter } from './byte-codec.js';
import type { AssignedSection } from './fleet-messages.js';
import { DEG_SCALE } from './link-frames.js';
import { ref32 } from './crc.js';

/**
 * Tractor state codes on the wire (docs/fleet-protocol.md §6.1), fixed: a state only the station
 * shows (a machine still joining) has no code, and adding one must never move the others.
 */
export const TRACTOR_STATES: readonly TractorState[] = [
  'idle',
  'working',
  'turning',
  'paused',
  'stopped',
  'comm-lost',
  'done',
];
export const AUTONOMY_MODES: readonly AutonomyMode[] = autonomyModeSchema.options;

/** Most sections one assign message carries (keeps it inside ETP sizes we accept). */
export const MAX_ASSIGN_SECTIONS = 2_000;
const MAX_DONE_INTERVALS = 10_000;
const CM_PER_M = 100;
const MM_PER_M = 1000;

export function stateCode(state: TractorState): number {
  return Math.max(0, TRACTOR_STATES.indexOf(state));
}

export function stateOf(code: number): TractorState {
  const s = TRACTOR_STATES[code];
  if (!s) throw new BodyDecodeError(`unknown tractor state code ${code}`);
  return s;
}

export function modeCode(mode: AutonomyMode): number {
  return Math.max(0, AUTONOMY_MODES.indexOf(mode));
}

export function modeOf(code: number): AutonomyMode {
  const m = AUTONOMY_MODES[code];
  if (!m) throw new BodyDecodeError(`unknown autonomy mode code ${code}`);
  return m;
}

function writeLonLat(w: ByteWriter, p: LonLat): void {
  w.i32(Math.round(p[0] * DEG_SCALE)).i32(Math.round(p[1] * DEG_SCALE));
}

function readLonLat(r: ByteReader): LonLat {
  const lon = r.i32() / DEG_SCALE;
  const lat = r.i32() / DEG_SCALE;
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) throw new BodyDecodeError('position out of range');
  return [lon, lat];
}

function u32m(v: number): number {
  if (!(v >= 0) || v * MM_PER_M > 0xffffffff) throw new RangeError(`distance ${v} m out of range`);
  return Math.round(v * MM_PER_M);
}

export interface Hello {
  name: string;
  implementWidthM: number;
  workSpeedMps: number;
  /** What the implement carries and spends; a hello without it (older machines) means none. */
  capacity?: ImplementCapacity | undefined;
}

/** Capacity kinds on the wire (docs/fleet-protocol.md §9.2, hello): fixed codes. */
const CAPACITY_KINDS = ['none', 'tank', 'hopper'] as const;
/** Capacity figures travel in tenths (litres, kg, per hectare, per minute). */
const TENTHS = 10;

export function encodeHello(h: Hello): Uint8Array {
  const w = new ByteWriter()
    .u16(Math.round(h.implementWidthM * CM_PER_M))
    .u16(Math.round(h.workSpeedMps * MM_PER_M))
    .str(h.name);
  const c = h.capacity ?? NO_CAPACITY;
  if (c.kind === 'none') return w.u8(0).finish();
  const tenths = (v: number): number => Math.round(v * TENTHS);
  return w
    .u8(CAPACITY_KINDS.indexOf(c.kind))
    .u32(tenths(c.amount))
    .u32(tenths(c.ratePerHa))
    .u32(tenths(c.fillPerMin))
    .finish();
}

export function decodeHello(body: Uint8Array): Hello & { capacity: ImplementCapacity } {
  const r = new ByteReader(body);
  const implementWidthM = r.u16() / CM_PER_M;
  const workSpeedMps = r.u16() / MM_PER_M;
  const name = r.str();
  const capacity = r.remaining() === 0 ? NO_CAPACITY : readCapacity(r);
  r.end();
  return { name, implementWidthM, workSpeedMps, capacity };
}

function readCapacity(r: ByteReader): ImplementCapacity {
  const code = r.u8();
  const kind = CAPACITY_KINDS[code];
  if (!kind) throw new BodyDecodeError(`unknown capacity kind ${code}`);
  if (kind === 'none') return NO_CAPACITY;
  const capacity: ImplementCapacity = {
    kind,
    amount: r.u32() / TENTHS,
    ratePerHa: r.u32() / TENTHS,
    fillPerMin: r.u32() / TENTHS,
  };
  const problem = capacityProblem(capacity);
  if (problem) throw new BodyDecodeError(`hello capacity refused: ${problem}`);
  return capacity;
}

export function encodeAssign(sections: readonly AssignedSection[]): Uint8Array {
  if (sections.length > MAX_ASSIGN_SECTIONS)
    throw new RangeError(`at most ${MAX_ASSIGN_SECTIONS} sections per assign`);
  const w = new ByteWriter().u16(sections.length);
  for (const s of sections) {
    w.str(s.id);
    writeLonLat(w, s.start);
    writeLonLat(w, s.end);
    w.u16(Math.round(s.widthM * CM_PER_M));
    w.u16(s.done.length);
    for (const [from, to] of s.done) w.u32(u32m(from)).u32(u32m(to));
  }
  return w.finish();
}

export function decodeAssign(body: Uint8Array): AssignedSection[] {
  const r = new ByteReader(body);
  const count = r.u16();
  if (count > MAX_ASSIGN_SECTIONS)
    throw new BodyDecodeError(`${count} sections exceed ${MAX_ASSIGN_SECTIONS}`);
  const out: AssignedSection[] = [];
  for (let i = 0; i < count; i++) {
    const id = r.str();
    if (id.length === 0) throw new BodyDecodeError('empty section id');
    const start = readLonLat(r);
    const end = readLonLat(r);
    const widthM = r.u16() / CM_PER_M;
    const n = r.u16();
    if (n > MAX_DONE_INTERVALS) throw new BodyDecodeError('too many done intervals');
    const done: [number, number][] = [];
    for (let k = 0; k < n; k++) {
      const from = r.u32() / MM_PER_M;
      const to = r.u32() / MM_PER_M;
      if (to < from) throw new BodyDecodeError('done interval ends before it starts');
      done.push([from, to]);
    }
    out.push({ id, start, end, widthM, done });
  }
  r.end();
  return out;
}

/** Work progress a tractor reports reliably: where it works and one worked interval. */
export interface Progress {
  /** Reference of the section being worked, 0 for none. */
  currentRef: number;
  coverage: { sectionRef: number; fromM: number; toM: number } | null;
}

export function encodeProgress(p: Progress): Uint8Array {
  const w = new ByteWriter().u32(p.currentRef);
  if (p.coverage)
    w.u32(p.coverage.sectionRef).u32(u32m(p.coverage.fromM)).u32(u32m(p.coverage.toM));
  else w.u32(0).u32(0).u32(0);
  return w.finish();
}

export function decodeProgress(body: Uint8Array): Progress {
  const r = new ByteReader(body);
  const currentRef = r.u32();
  const sectionRef = r.u32();
  const fromM = r.u32() / MM_PER_M;
  const toM = r.u32() / MM_PER_M;
  r.end();
  if (sectionRef !== 0 && toM < fromM) throw new BodyDecodeError('coverage ends before it starts');
  return { currentRef, coverage: sectionRef === 0 ? null : { sectionRef, fromM, toM } };
}

export function decodeEmpty(body: Uint8Array): void {
  if (body.length !== 0)
    throw new BodyDecodeError(`expected an empty body, got ${body.length} bytes`);
}

/** The stop id a tractor sees for a stop reference (tractors never learn the station's string). */
export function stopIdForRef(ref: number): string {
  return `stop:${ref.toString(16).padStart(8, '0')}`;
}

export function refOfStopId(stopId: string): number | undefined {
  const m = /^stop:([0-9a-f]{8})$/.exec(stopId);
  return m?.[1] ? Number.parseInt(m[1], 16) : undefined;
}

/**
 * The 32-bit reference both ends compute for a stop: the station's own ids hash to it, and the
 * ids tractors see on the wire (`stop:xxxxxxxx`) carry it. Release MACs cover this reference.
 */
export function stopRefOf(stopId: string): number {
  return refOfStopId(stopId) ?? ref32(stopId);
}
