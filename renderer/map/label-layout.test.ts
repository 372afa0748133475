import { describe, expect, it } from 'vitest';
import {
  intersects,
  layoutLabels,
  tractorLabelBox,
  type Box,
  type LabelInput,
  type TractorLabelInput,
} from './label-layout.js';

const MAP: Box = { left: 0, top: 0, width: 800, height: 600 };
const LABEL = { width: 70, height: 20 };

/** The 28 px arrow drawn 3 px inside the 34 px marker, turned: the browser's box of it. */
function arrowBox(x: number, y: number, headingDeg: number): Box {
  const rad = (headingDeg * Math.PI) / 180;
  const half = 14 * (Math.abs(Math.cos(rad)) + Math.abs(Math.sin(rad)));
  return { left: x + 17 - half, top: y + 17 - half, width: 2 * half, height: 2 * half };
}

function tractor(
  id: string,
  x: number,
  y: number,
  previous: TractorLabelInput['previous'] = null,
  headingDeg = 0,
): TractorLabelInput {
  const marker = { left: x, top: y, width: 34, height: 34 };
  return { id, marker, arrow: arrowBox(x, y, headingDeg), label: LABEL, previous };
}

function section(id: string, x: number, y: number) {
  return { id, box: { left: x, top: y, width: 28, height: 18 } };
}

function input(partial: Partial<LabelInput>): LabelInput {
  return { bounds: MAP, overlays: [], zones: [], tractors: [], sections: [], ...partial };
}

/** Every box the layout leaves visible: names where they were put, zone and section labels kept. */
function visibleBoxes(given: LabelInput): Box[] {
  const layout = layoutLabels(given);
  const boxes: Box[] = [];
  for (const t of given.tractors) {
    const place = layout.tractors.get(t.id);
    if (place) boxes.push(tractorLabelBox(t.marker, t.label, place));
  }
  for (const z of given.zones) if (!layout.hiddenZones.has(z.id)) boxes.push(z.box);
  for (const s of given.sections) if (!layout.hiddenSections.has(s.id)) boxes.push(s.box);
  return boxes;
}

function overlaps(boxes: Box[]): number {
  let n = 0;
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => (n += intersects(a, b) ? 1 : 0)));
  return n;
}

/**
 * Names that another machine's arrow would be drawn over: a name over a marker is only readable
 * when its machine is drawn above (in overMarkers) and the covered machine is not.
 */
function namesUnderArrows(given: LabelInput): string[] {
  const layout = layoutLabels(given);
  const under: string[] = [];
  for (const t of given.tractors) {
    const place = layout.tractors.get(t.id);
    if (!place) continue;
    const box = tractorLabelBox(t.marker, t.label, place);
    for (const other of given.tractors) {
      if (other.id === t.id || !intersects(shrinkBy(other.arrow, 2), box)) continue;
      if (!layout.overMarkers.has(t.id) || layout.overMarkers.has(other.id))
        under.push(`${t.id} under ${other.id}`);
    }
  }
  return under;
}

function shrinkBy(box: Box, by: number): Box {
  return {
    left: box.left + by,
    top: box.top + by,
    width: box.width - 2 * by,
    height: box.height - 2 * by,
  };
}

describe('layoutLabels', () => {
  it('puts a lone machine its name on the right, as before', () => {
    const layout = layoutLabels(input({ tractors: [tractor('a', 100, 100)] }));
    expect(layout.tractors.get('a')).toBe('right');
  });

  it('puts a neighbour on the right on another side, and keeps its side as long as it is free', () => {
    const given = input({ tractors: [tractor('a', 100, 100), tractor('b', 150, 100)] });
    const layout = layoutLabels(given);
    expect(layout.tractors.get('a')).not.toBe('right');
    expect(layout.tractors.get('b')).toBe('right');
    expect(overlaps(visibleBoxes(given))).toBe(0);
    // Where a name went before is tried first: 'below' is free, so it stays there.
    const again = layoutLabels(
      input({ tractors: [tractor('a', 100, 100, 'below'), tractor('b', 150, 100)] }),
    );
    expect(again.tractors.get('a')).toBe('below');
  });

  it('puts a name boxed in on all four sides at a corner of its marker', () => {
    const zone = (id: string, left: number, top: number, width: number, height: number) => ({
      id,
      box: { left, top, width, height },
    });
    const layout = layoutLabels(
      input({
        zones: [
          zone('right', 330, 305, 70, 24),
          zone('left', 230, 305, 70, 24),
          zone('above', 305, 285, 20, 15),
          zone('below', 305, 335, 20, 10),
        ],
        tractors: [tractor('a', 300, 300)],
      }),
    );
    expect(layout.hiddenZones.size).toBe(0);
    expect(layout.tractors.get('a')).toBe('above-right');
  });

  it('says which names lie over another machine, when no side is clear of every marker', () => {
    // A machine ringed by eight others: every side of it has a marker.
    const ring = [50, 100, 140].flatMap((x) => [70, 100, 130].map((y) => [x, y] as const));
    const given = input({
      tractors: [
        tractor('a', 100, 100),
        ...ring
          .filter(([x, y]) => x !== 100 || y !== 100)
          .map(([x, y]) => tractor(`${x}-${y}`, x, y)),
      ],
    });
    const layout = layoutLabels(given);
    expect(overlaps(visibleBoxes(given))).toBe(0);
    expect(layout.overMarkers.has('a')).toBe(true);
    for (const id of layout.overMarkers) expect(layout.tractors.get(id)).not.toBeNull();
    expect(layoutLabels(input({ tractors: [tractor('a', 100, 100)] })).overMarkers.size).toBe(0);
  });

  it('leaves no name under an arrow in a crowd where names must go over markers', () => {
    // A tight crowd at all headings (machines leaving their parking together): raising one
    // machine above the one its name covers must not bury another name under the raised one.
    for (const spacing of [18, 22, 26, 30]) {
      const tractors = Array.from({ length: 20 }, (_, i) =>
        tractor(
          `t${i}`,
          200 + (i % 5) * spacing + (i % 3) * 5,
          200 + Math.floor(i / 5) * spacing,
          null,
          (i * 37) % 360,
        ),
      );
      expect(namesUnderArrows(input({ tractors })), `spacing ${spacing}`).toEqual([]);
    }
  });

  it('keeps a name inside the map at its right edge', () => {
    const layout = layoutLabels(input({ tractors: [tractor('a', 760, 300)] }));
    expect(layout.tractors.get('a')).toBe('left');
  });

  it("moves a name from under the map's legend, and hides a section label there", () => {
    const legend = { left: 0, top: 500, width: 300, height: 40 };
    const layout = layoutLabels(
      input({
        overlays: [legend],
        tractors: [tractor('a', 200, 490)],
        sections: [section('under-legend', 20, 510)],
      }),
    );
    expect(layout.tractors.get('a')).toBe('above');
    expect([...layout.hiddenSections]).toEqual(['under-legend']);
    // A machine under the legend itself keeps its name off it, or goes unnamed.
    const under = layoutLabels(input({ overlays: [legend], tractors: [tractor('b', 100, 480)] }));
    expect(under.tractors.get('b')).toBe('above');
    const buried = { left: 0, top: 400, width: 400, height: 200 };
    const none = layoutLabels(input({ overlays: [buried], tractors: [tractor('c', 100, 505)] }));
    expect(none.tractors.get('c')).toBeNull();
  });

  it('hides a section label under a machine or its name, and keeps the others', () => {
    const given = input({
      tractors: [tractor('a', 100, 100)],
      sections: [
        section('under-marker', 103, 108),
        section('under-name', 140, 108),
        section('free', 400, 400),
      ],
    });
    const layout = layoutLabels(given);
    expect([...layout.hiddenSections].sort()).toEqual(['under-marker', 'under-name']);
  });

  it("hides a section label that a diagonal machine's arrow reaches into, not an upright one's", () => {
    // Just above the marker's middle: an upright arrow stays below it, one at 45° reaches it.
    const sections = [section('above', 117, 85)];
    const upright = layoutLabels(input({ tractors: [tractor('a', 100, 100)], sections }));
    expect(upright.hiddenSections.size).toBe(0);
    const turned = input({ tractors: [tractor('a', 100, 100, null, 45)], sections });
    expect([...layoutLabels(turned).hiddenSections]).toEqual(['above']);
  });

  it("says a name lies over a diagonal neighbour's arrow that an upright one would leave clear", () => {
    // b's name on its right ends just above a's upright arrow; a turned arrow reaches into it.
    const given = (heading: number) =>
      input({ tractors: [tractor('b', 60, 76, 'right'), tractor('a', 100, 100, null, heading)] });
    expect(layoutLabels(given(0)).tractors.get('b')).toBe('right');
    expect(layoutLabels(given(0)).overMarkers.size).toBe(0);
    expect(layoutLabels(given(45)).tractors.get('b')).not.toBe('right');
  });

  it('keeps a zone name over anything else and hides the later of two section labels that meet', () => {
    const given = input({
      zones: [{ id: 'pond', box: { left: 130, top: 105, width: 80, height: 24 } }],
      tractors: [tractor('a', 100, 100)],
      sections: [section('s1', 400, 400), section('s2', 410, 405)],
    });
    const layout = layoutLabels(given);
    expect(layout.hiddenZones.size).toBe(0);
    expect(layout.tractors.get('a')).not.toBe('right');
    expect([...layout.hiddenSections]).toEqual(['s2']);
    expect(overlaps(visibleBoxes(given))).toBe(0);
  });

  it('leaves no two labels overlapping among twenty machines parked in a row over sections', () => {
    const tractors = Array.from({ length: 20 }, (_, i) =>
      tractor(`t${i}`, 200 + (i % 5) * 30, 200 + Math.floor(i / 5) * 26),
    );
    const sections = Array.from({ length: 40 }, (_, i) =>
      section(`s${i}`, 150 + (i % 8) * 40, 150 + Math.floor(i / 8) * 40),
    );
    const given = input({ tractors, sections });
    expect(overlaps(visibleBoxes(given))).toBe(0);
    // The first machines (the ones in trouble come first) are named.
    expect(layoutLabels(given).tractors.get('t0')).not.toBeNull();
  });
});
