import { describe, expect, it } from 'vitest';
import { MIN_TURN_RADIUS_M, steerToward, type Pose } from './steering.js';

/** Drives towards the target in 0.5 m steps until it is reached; returns the poses. */
function drive(start: Pose, target: { x: number; y: number }, limitM = 500): Pose[] {
  const poses = [start];
  let pose = start;
  for (let travelled = 0; travelled < limitM; travelled += 0.5) {
    const r = steerToward(pose, target, 0.5);
    pose = r.pose;
    poses.push(pose);
    if (r.leftoverM !== null) return poses;
  }
  throw new Error(`target not reached within ${limitM} m`);
}

function headingChanges(poses: Pose[]): number[] {
  return poses.slice(1).map((p, i) => {
    const d = Math.abs(p.headingDeg - (poses[i]?.headingDeg ?? 0)) % 360;
    return Math.min(d, 360 - d);
  });
}

describe('steering with a turning radius', () => {
  it('never turns tighter than the radius allows', () => {
    const poses = drive({ x: 0, y: 0, headingDeg: 0 }, { x: 40, y: -30 });
    const maxPerHalfMetre = (0.5 / MIN_TURN_RADIUS_M) * (180 / Math.PI);
    for (const change of headingChanges(poses))
      expect(change).toBeLessThanOrEqual(maxPerHalfMetre + 1e-6);
  });

  it('makes a headland U-turn onto the next swath 12 m over', () => {
    const poses = drive({ x: 0, y: 100, headingDeg: 0 }, { x: 12, y: 100 });
    const length = (poses.length - 1) * 0.5;
    // Half a circle of the radius and a little straight: far less than a loop round.
    expect(length).toBeGreaterThan(Math.PI * MIN_TURN_RADIUS_M * 0.9);
    expect(length).toBeLessThan(2 * Math.PI * MIN_TURN_RADIUS_M + 12);
  });

  it('reaches a point inside its turning circle instead of circling it', () => {
    // 3 m to the right of the machine: inside the 6 m circle on that side.
    const poses = drive({ x: 0, y: 0, headingDeg: 0 }, { x: 3, y: 0 }, 200);
    expect(poses.length).toBeGreaterThan(10);
  });

  it('turns the long way round at once for a point inside its turning circle, never further ahead than its radius', () => {
    const poses = drive({ x: 0, y: 0, headingDeg: 0 }, { x: 3, y: 0 }, 200);
    const ahead = Math.max(...poses.map((p) => p.y));
    expect(ahead).toBeLessThanOrEqual(MIN_TURN_RADIUS_M + 0.5);
  });

  it('goes straight to a point straight ahead', () => {
    const r = steerToward({ x: 0, y: 0, headingDeg: 90 }, { x: 20, y: 0 }, 30);
    expect(r.leftoverM).toBeCloseTo(11, 0);
    expect(r.pose).toMatchObject({ x: 20, y: 0, headingDeg: 90 });
  });
});
