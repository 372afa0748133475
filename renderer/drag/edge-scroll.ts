/**
 * While a section is dragged, a scrolling list under the pointer (marked `data-drag-scroll`)
 * scrolls by itself when the pointer rests near its top or bottom edge, faster the closer it
 * is, so a machine out of view can be reached without letting go.
 */

/** Depth of the band along an edge where the list scrolls (about one row). */
export const EDGE_BAND_PX = 40;
/** Scroll per animation frame at the very edge (about 1,000 px/s at 60 frames a second). */
export const MAX_STEP_PX = 16;

/**
 * Pixels to scroll this frame for a pointer at `pointer` on an axis where the list spans
 * [start, end]: negative near the start, positive near the end, 0 elsewhere or outside.
 */
export function edgeScrollStep(pointer: number, start: number, end: number): number {
  if (pointer < start || pointer > end) return 0;
  const band = Math.min(EDGE_BAND_PX, (end - start) / 3);
  if (band <= 0) return 0;
  if (pointer < start + band) return -Math.ceil(((start + band - pointer) / band) * MAX_STEP_PX);
  if (pointer > end - band) return Math.ceil(((pointer - (end - band)) / band) * MAX_STEP_PX);
  return 0;
}

/** The scrolling list under a point, if any. */
function listAt(x: number, y: number): HTMLElement | null {
  for (const element of document.querySelectorAll<HTMLElement>('[data-drag-scroll]')) {
    const r = element.getBoundingClientRect();
    if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) return element;
  }
  return null;
}

/** Runs the scrolling frame by frame while the pointer stays in an edge band. */
export class EdgeScroller {
  private x = 0;
  private y = 0;
  private frame: number | null = null;

  /** `scrolled` runs after each step (what lies under the pointer has changed). */
  constructor(private readonly scrolled: (x: number, y: number) => void) {}

  update(x: number, y: number): void {
    this.x = x;
    this.y = y;
    if (this.frame === null) this.frame = requestAnimationFrame(() => this.tick());
  }

  stop(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
  }

  private tick(): void {
    this.frame = null;
    const list = listAt(this.x, this.y);
    if (!list) return;
    const r = list.getBoundingClientRect();
    const step = edgeScrollStep(this.y, r.top, r.bottom);
    if (step === 0) return;
    const before = list.scrollTop;
    list.scrollTop = before + step;
    if (list.scrollTop === before) return; // at the end already
    this.scrolled(this.x, this.y);
    this.frame = requestAnimationFrame(() => this.tick());
  }
}
