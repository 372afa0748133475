/**
 * A simulated machine's own metric plane (a tangent plane at its parking spot, {x, y} points in
 * metres) and where an assigned swath lies in it: its length, its bearing and the point a given
 * distance along it.
 */
import type { LonLat } from '../../shared/index.js';
import { TangentFrame } from '../fleet/index.js';
import { headingDeg } from '../geometry/index.js';
import type { AssignedSection } from '../link/index.js';

export interface PlanePoint {
  x: number;
  y: number;
}

export class PlaneFrame {
  private readonly tangent: TangentFrame;

  constructor(origin: LonLat) {
    this.tangent = new TangentFrame({ lon: origin[0], lat: origin[1] });
  }

  toLocal(position: LonLat): PlanePoint {
    const [x, y] = this.tangent.toLocal(position);
    return { x, y };
  }

  toLonLat(point: PlanePoint): LonLat {
    return this.tangent.toLonLat([point.x, point.y]);
  }

  /** The swath's length along its centre line, metres. */
  lengthOf(section: AssignedSection): number {
    const a = this.toLocal(section.start);
    const b = this.toLocal(section.end);
    return Math.hypot(b.x - a.x, b.y - a.y);
  }

  /** The swath's heading from its start to its end, degrees clockwise from north. */
  bearingOf(section: AssignedSection): number {
    const a = this.toLocal(section.start);
    const b = this.toLocal(section.end);
    return headingDeg(a, b);
  }

  /** The point `alongM` metres along the swath from its start. */
  pointAlong(section: AssignedSection, alongM: number): PlanePoint {
    const a = this.toLocal(section.start);
    const b = this.toLocal(section.end);
    const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const t = alongM / length;
    return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
  }
}
