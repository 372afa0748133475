import { describe, expect, it } from 'vitest';
import { nextWaypoint, type Box } from './detour.js';

const pond: Box = { minX: 40, minY: -10, maxX: 60, maxY: 10 };

describe('detour round a keep-out zone', () => {
  it('heads straight for the target when nothing is in the way', () => {
    expect(nextWaypoint({ x: 0, y: 20 }, { x: 100, y: 20 }, [pond])).toEqual({ x: 100, y: 20 });
  });

  it('rounds the nearer silhouette corner when the zone is in the way', () => {
    expect(nextWaypoint({ x: 0, y: 2 }, { x: 100, y: 2 }, [pond])).toEqual({ x: 40, y: 10 });
    expect(nextWaypoint({ x: 0, y: -2 }, { x: 100, y: -2 }, [pond])).toEqual({ x: 40, y: -10 });
  });

  it('from a corner goes on along the side, then to the target', () => {
    expect(nextWaypoint({ x: 40, y: 10 }, { x: 100, y: 2 }, [pond])).toEqual({ x: 60, y: 10 });
    expect(nextWaypoint({ x: 60, y: 10 }, { x: 100, y: 2 }, [pond])).toEqual({ x: 100, y: 2 });
  });

  it('keeps going the short way round instead of turning back at a corner', () => {
    // On the top side just past the corner, bound for the far bottom-right: on along the top.
    const from = { x: 40.5, y: 10 };
    expect(nextWaypoint(from, { x: 90, y: -40 }, [pond])).toEqual({ x: 60, y: 10 });
  });

  it('ignores a zone it already stands in (it may always drive out)', () => {
    expect(nextWaypoint({ x: 50, y: 0 }, { x: 100, y: 0 }, [pond])).toEqual({ x: 100, y: 0 });
  });
});
