/**
 * Tractor colours: the Okabe–Ito palette (distinguishable with the common colour-vision
 * deficiencies) without its yellow and black, which vanish in sunlight or against the stop
 * panel; machines beyond the palette reuse it with a dashed outline on the map.
 */
const TRACTOR_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'] as const;

export function tractorColour(index: number): string {
  return (
    TRACTOR_COLOURS[
      ((index % TRACTOR_COLOURS.length) + TRACTOR_COLOURS.length) % TRACTOR_COLOURS.length
    ] ?? '#0072B2'
  );
}

export const UNASSIGNED_COLOUR = '#7a7a7a';
