/**
 * Tractor colours: the Okabe–Ito palette (distinguishable with the common colour-vision
 * deficiencies) without its yellow and black, which vanish in sunlight or against the stop
 * panel. A machine's colour follows from its id, never from its place in a list, so it is the
 * same live, in a replay and after a machine joins or leaves.
 */
import { readableOn } from './contrast.js';
import type { Theme } from './store/settings-slice.js';

const TRACTOR_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'] as const;

export const UNASSIGNED_COLOUR = '#7a7a7a';

/**
 * Where a machine's name is written in its colour (the fleet rows, normal and stopped), per
 * theme; styles.css paints these grounds (--panel, --row, --alarm-bg).
 */
export const NAME_GROUNDS: Record<Theme, readonly string[]> = {
  daylight: ['#ffffff', '#f4f4f0', '#ffe1e1'],
  dark: ['#1f2226', '#23272c', '#4a1218'],
};

/** 32-bit FNV-1a: a stable spread for ids without a number in them. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The palette slot of a machine: its id's trailing number (sim-01 → 0), else a hash of the id. */
export function colourSlot(tractorId: string): number {
  const digits = /(\d+)$/.exec(tractorId)?.[1];
  const n = digits === undefined ? fnv1a(tractorId) : Number.parseInt(digits, 10) - 1;
  const len = TRACTOR_COLOURS.length;
  return ((n % len) + len) % len;
}

export function tractorColour(tractorId: string): string {
  return TRACTOR_COLOURS[colourSlot(tractorId)] ?? TRACTOR_COLOURS[0];
}

const readableCache = new Map<string, string>();

/** The machine's colour as text on the fleet rows of a theme: its own hue, at 4.5:1 or more. */
export function tractorTextColour(tractorId: string, theme: Theme): string {
  const colour = tractorColour(tractorId);
  const key = `${colour}|${theme}`;
  let text = readableCache.get(key);
  if (text === undefined) {
    text = readableOn(colour, NAME_GROUNDS[theme]);
    readableCache.set(key, text);
  }
  return text;
}
