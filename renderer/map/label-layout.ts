/**
 * Where the map's labels go so that none hides another, in screen pixels. Machines cluster (at
 * the parking corner, on neighbouring swaths), and a section label under a tractor marker or two
 * names on top of each other read as neither. Labels are placed greedily by importance:
 * keep-out zone names first (safety), then each machine's name at the first side of its marker
 * that is free (the side it had before first, so names do not jump about as machines move), and
 * last the section labels, each skipped when anything placed covers it. The map's own controls
 * (zoom, legend, notices) and its edges are in the way too. A machine's name with no free side is
 * hidden rather than drawn over another or cut off; the fleet list still names every machine. A
 * name that can only go over another machine's marker is drawn above that marker, unless that
 * marker's machine is drawn above another already (or the name's own marker lies under a raised
 * name): then it too is hidden.
 */

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** The sides tried, in this order: beside, then over and under, then at a corner. */
const TRACTOR_LABEL_PLACES = [
  'right',
  'left',
  'above',
  'below',
  'above-right',
  'below-right',
  'above-left',
  'below-left',
] as const;
export type TractorLabelPlace = (typeof TRACTOR_LABEL_PLACES)[number];

/**
 * How far a machine's name reaches into its marker's box (the arrow leaves its edges empty):
 * styles.css sets the label 30 px from the 34 px marker's far side.
 */
const LABEL_TUCK_PX = 4;
/**
 * How far inside the arrow's box its painted shape starts: the slender arrow (styles.css) leaves
 * the box's corners empty, but turned with the heading its tip and tails reach within a few
 * pixels of the turned box's edges, so only a sliver is left out.
 */
const ARROW_INSET_PX = 2;
/** Labels closer than this count as touching: a pixel of air keeps two borders apart. */
const GAP_PX = 1;

export interface TractorLabelInput {
  readonly id: string;
  readonly marker: Box;
  /**
   * The arrow's box as drawn, turned with the machine's heading: a diagonal arrow reaches past
   * the middle of its marker (up to its edges at 45°), an upright one does not.
   */
  readonly arrow: Box;
  readonly label: { readonly width: number; readonly height: number };
  /** Where its name was last placed, tried first. */
  readonly previous: TractorLabelPlace | null;
}

export interface FixedLabelInput {
  readonly id: string;
  readonly box: Box;
}

export interface LabelInput {
  /** The map's box: a name that would leave it is put on another side. */
  readonly bounds: Box;
  /** What lies over the map (its buttons, legend, notices): no label is put under them. */
  readonly overlays: readonly Box[];
  readonly zones: readonly FixedLabelInput[];
  /** In order of importance (machines in trouble first). */
  readonly tractors: readonly TractorLabelInput[];
  /** In order of importance (the selected ones first). */
  readonly sections: readonly FixedLabelInput[];
}

export interface LabelLayout {
  /** Each machine's name: the side it goes on, or null when it is hidden. */
  readonly tractors: ReadonlyMap<string, TractorLabelPlace | null>;
  /** Machines whose name lies over another machine's marker: drawn above it, to stay readable. */
  readonly overMarkers: ReadonlySet<string>;
  readonly hiddenZones: ReadonlySet<string>;
  readonly hiddenSections: ReadonlySet<string>;
}

export function intersects(a: Box, b: Box, gap = 0): boolean {
  return (
    a.left < b.left + b.width + gap &&
    b.left < a.left + a.width + gap &&
    a.top < b.top + b.height + gap &&
    b.top < a.top + a.height + gap
  );
}

function inside(box: Box, bounds: Box): boolean {
  return (
    box.left >= bounds.left &&
    box.top >= bounds.top &&
    box.left + box.width <= bounds.left + bounds.width &&
    box.top + box.height <= bounds.top + bounds.height
  );
}

/** The box a machine's name takes on one side of its marker (styles.css draws it so). */
export function tractorLabelBox(
  marker: Box,
  label: { width: number; height: number },
  place: TractorLabelPlace,
): Box {
  const { width, height } = label;
  const x = {
    mid: marker.left + marker.width / 2 - width / 2,
    right: marker.left + marker.width - LABEL_TUCK_PX,
    left: marker.left + LABEL_TUCK_PX - width,
  };
  const y = {
    mid: marker.top + marker.height / 2 - height / 2,
    above: marker.top + LABEL_TUCK_PX - height,
    below: marker.top + marker.height - LABEL_TUCK_PX,
  };
  const at = (left: number, top: number): Box => ({ left, top, width, height });
  switch (place) {
    case 'right':
      return at(x.right, y.mid);
    case 'left':
      return at(x.left, y.mid);
    case 'above':
      return at(x.mid, y.above);
    case 'below':
      return at(x.mid, y.below);
    case 'above-right':
      return at(x.right, y.above);
    case 'below-right':
      return at(x.right, y.below);
    case 'above-left':
      return at(x.left, y.above);
    case 'below-left':
      return at(x.left, y.below);
  }
}

function shrink(box: Box, by: number): Box {
  return {
    left: box.left + by,
    top: box.top + by,
    width: Math.max(0, box.width - 2 * by),
    height: Math.max(0, box.height - 2 * by),
  };
}

function candidates(previous: TractorLabelPlace | null): TractorLabelPlace[] {
  return previous
    ? [previous, ...TRACTOR_LABEL_PLACES.filter((p) => p !== previous)]
    : [...TRACTOR_LABEL_PLACES];
}

export function layoutLabels(input: LabelInput): LabelLayout {
  const placed: Box[] = [];
  const free = (box: Box): boolean => !placed.some((p) => intersects(p, box, GAP_PX));
  const clear = (box: Box): boolean =>
    inside(box, input.bounds) && !input.overlays.some((o) => intersects(o, box));

  const hiddenZones = new Set<string>();
  for (const zone of input.zones) {
    if (free(zone.box)) placed.push(zone.box);
    else hiddenZones.add(zone.id);
  }

  const markers = input.tractors.map((t) => ({ id: t.id, box: shrink(t.arrow, ARROW_INSET_PX) }));
  const tractors = new Map<string, TractorLabelPlace | null>();
  // Drawing a machine above another is one step (styles.css): a raised machine's marker must not
  // lie under a raised name, nor a raised name under a raised marker, or one of them is buried.
  const overMarkers = new Set<string>();
  const underRaisedNames = new Set<string>();
  for (const t of input.tractors) {
    const boxOf = (place: TractorLabelPlace): Box => tractorLabelBox(t.marker, t.label, place);
    const covered = (p: TractorLabelPlace): string[] =>
      markers.filter((m) => m.id !== t.id && intersects(m.box, boxOf(p))).map((m) => m.id);
    const order = candidates(t.previous);
    // Best clear of the other machines' markers too; never over a label or under a control.
    const readable = (p: TractorLabelPlace): boolean => free(boxOf(p)) && clear(boxOf(p));
    const mayRaise = (p: TractorLabelPlace): boolean =>
      !underRaisedNames.has(t.id) && covered(p).every((id) => !overMarkers.has(id));
    const place =
      order.find((p) => readable(p) && covered(p).length === 0) ??
      order.find((p) => readable(p) && mayRaise(p));
    tractors.set(t.id, place ?? null);
    if (!place) continue;
    placed.push(boxOf(place));
    const under = covered(place);
    if (under.length === 0) continue;
    overMarkers.add(t.id);
    for (const id of under) underRaisedNames.add(id);
  }
  placed.push(...markers.map((m) => m.box));

  const hiddenSections = new Set<string>();
  for (const section of input.sections) {
    if (free(section.box) && clear(section.box)) placed.push(section.box);
    else hiddenSections.add(section.id);
  }
  return { tractors, overMarkers, hiddenZones, hiddenSections };
}
