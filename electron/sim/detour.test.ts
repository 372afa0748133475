import { describe, expect, it } from 'vitest';
import { DETOUR_CLEARANCE_M, nextWaypoint, type Point, type ZoneOutline } from './detour.js';
import { TWO_OBSTACLES_OBSTACLE_2 } from './test-helpers/two-obstacles.js';

const pond: ZoneOutline = [
  { x: 40, y: -10 },
  { x: 60, y: -10 },
  { x: 60, y: 10 },
  { x: 40, y: 10 },
];

/** Irregular, and the headland pass round it lies inside its bounding box. */
const obstacle: ZoneOutline = TWO_OBSTACLES_OBSTACLE_2.map(([x, y]) => ({ x, y }));

function distanceToOutline(p: Point, zone: ZoneOutline): number {
  let best = Infinity;
  for (let i = 0, j = zone.length - 1; i < zone.length; j = i++) {
    const a = zone[j];
    const b = zone[i];
    if (!a || !b) continue;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)));
    best = Math.min(best, Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy));
  }
  return best;
}

/** Follows the waypoints from `from` to `to`, sampling every leg: the least clearance on the way. */
function drive(from: Point, to: Point, zone: ZoneOutline): { legs: number; leastM: number } {
  let at = from;
  let leastM = Infinity;
  for (let legs = 1; legs <= 20; legs++) {
    const next = nextWaypoint(at, to, [zone]);
    for (let k = 1; k <= 50; k++) {
      const p = { x: at.x + ((next.x - at.x) * k) / 50, y: at.y + ((next.y - at.y) * k) / 50 };
      leastM = Math.min(leastM, distanceToOutline(p, zone));
    }
    if (next === to) return { legs, leastM };
    at = next;
  }
  return { legs: Infinity, leastM };
}

describe('detour round a keep-out zone', () => {
  it('heads straight for the target when nothing is in the way', () => {
    expect(nextWaypoint({ x: 0, y: 20 }, { x: 100, y: 20 }, [pond])).toEqual({ x: 100, y: 20 });
  });

  it('rounds the nearer corner, set off the zone, when the zone is in the way', () => {
    const corner = nextWaypoint({ x: 0, y: 2 }, { x: 100, y: 2 }, [pond]);
    expect(corner.x).toBeCloseTo(35);
    expect(corner.y).toBeCloseTo(15);
    expect(nextWaypoint({ x: 0, y: -2 }, { x: 100, y: -2 }, [pond]).y).toBeCloseTo(-15);
  });

  it('from a corner goes on along the side, then to the target', () => {
    const along = nextWaypoint({ x: 35, y: 15 }, { x: 100, y: 2 }, [pond]);
    expect(along.x).toBeCloseTo(65);
    expect(along.y).toBeCloseTo(15);
    expect(nextWaypoint({ x: 65, y: 15 }, { x: 100, y: 2 }, [pond])).toEqual({ x: 100, y: 2 });
  });

  it('ignores a zone it already stands in (it may always drive out)', () => {
    expect(nextWaypoint({ x: 50, y: 0 }, { x: 100, y: 0 }, [pond])).toEqual({ x: 100, y: 0 });
  });

  it('goes round an irregular obstacle to a pass start inside its bounding box, keeping clear of it', () => {
    // A machine beside the obstacle bound for the headland pass on its far side: straight there
    // it passed 2.4 m from the outline, its body over the zone, and the guard held it for good.
    const from = { x: 88.59, y: 28.79 };
    const passStart = { x: 113.69, y: 56.21 };
    const way = drive(from, passStart, obstacle);
    expect(way.legs).toBeGreaterThan(1);
    expect(way.legs).toBeLessThan(20);
    // Never closer than where it stands (3.5 m), nor than the clearance further on.
    expect(way.leastM).toBeGreaterThanOrEqual(distanceToOutline(from, obstacle) - 1e-6);
    const farther = drive({ x: 60, y: 20 }, passStart, obstacle);
    expect(farther.leastM).toBeGreaterThanOrEqual(DETOUR_CLEARANCE_M - 1e-6);
  });
});
