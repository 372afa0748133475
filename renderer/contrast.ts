/**
 * WCAG 2.2 contrast arithmetic (relative luminance, contrast ratio, success criterion 1.4.3) for
 * colours the code chooses at run time, such as a machine's name written in its own colour.
 */

/** Minimum contrast of normal text (WCAG 2.2 SC 1.4.3, level AA). */
export const TEXT_CONTRAST_MIN = 4.5;

type Rgb = readonly [number, number, number];

export function parseHex(hex: string): Rgb {
  const match = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!match?.[1]) throw new Error(`not a #rrggbb colour: ${hex}`);
  const n = Number.parseInt(match[1], 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** Relative luminance (WCAG 2.2, definition "relative luminance", sRGB). */
export function luminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function mix(from: Rgb, to: Rgb, share: number): Rgb {
  const at = (a: number, b: number): number => a + (b - a) * share;
  return [at(from[0], to[0]), at(from[1], to[1]), at(from[2], to[2])];
}

/** Steps tried between a colour and black or white: 5% each. */
const MIX_STEPS = 20;

/**
 * The colour itself when it reads on every background, else the least shade of it (mixed
 * towards black on light grounds, towards white on dark ones) that does: the same hue, as
 * readable as text must be.
 */
export function readableOn(
  colour: string,
  backgrounds: readonly string[],
  min = TEXT_CONTRAST_MIN,
): string {
  const worst = (c: string): number => Math.min(...backgrounds.map((bg) => contrastRatio(c, bg)));
  if (worst(colour) >= min) return colour.toLowerCase();
  const meanBgLuminance = backgrounds.reduce((s, bg) => s + luminance(bg), 0) / backgrounds.length;
  const target: Rgb = meanBgLuminance > 0.18 ? [0, 0, 0] : [255, 255, 255];
  const base = parseHex(colour);
  for (let step = 1; step <= MIX_STEPS; step++) {
    const candidate = toHex(mix(base, target, step / MIX_STEPS));
    if (worst(candidate) >= min) return candidate;
  }
  return toHex(target);
}
