import { describe, expect, it } from 'vitest';
import type { SectionAssignment } from './allocation-types.js';
import type { SwathSegment } from './plan-types.js';
import { legAhead, sectionLeftParts, wayBehind } from './section-time-left.js';

/** Three 100 m swaths 6 m apart, driven back and forth: a turn into each after the first. */
const SWATHS: SwathSegment[] = [0, 1, 2].map((k) => ({
  start: k % 2 === 0 ? [0, 6 * k] : [100, 6 * k],
  end: k % 2 === 0 ? [100, 6 * k] : [0, 6 * k],
  widthM: 6,
  lengthM: 100,
}));

/** 90 s of work, two turns of 10 s and a 15 s drive to it. */
const ASSIGNMENT: SectionAssignment = {
  sectionId: 's',
  tractorId: 'a',
  status: 'planned',
  locked: false,
  remainingM2: 1800,
  startS: 0,
  finishS: 125,
  travelS: 35,
  reachS: 15,
};

describe('a section’s time left', () => {
  it('parts its work along the swaths from its way: the drive to it and the turns ahead', () => {
    const whole = sectionLeftParts({
      assignment: ASSIGNMENT,
      shareLeft: 1,
      swaths: SWATHS,
      started: [false, false, false],
    });
    expect(whole.workS).toBeCloseTo(90, 6);
    // Nothing says where the machine comes from: the way to it is a drive.
    expect(whole.driveS).toBeCloseTo(15, 6);
    expect(whole.turnS).toBeCloseTo(2 * 10, 6);
    const half = sectionLeftParts({
      assignment: ASSIGNMENT,
      shareLeft: 0.5,
      swaths: SWATHS,
      started: [true, true, false],
    });
    expect(half.workS).toBeCloseTo(45, 6);
    expect(half.driveS).toBe(0);
    expect(half.turnS).toBeCloseTo(10, 6);
  });

  it('counts no turn ahead in a section driven out round a swath its machine skips', () => {
    // A neighbour's pass worked the last swath's ground: the machine never turns into it.
    const left = sectionLeftParts({
      assignment: ASSIGNMENT,
      shareLeft: 0.01,
      swaths: SWATHS,
      started: [true, true, false],
    });
    expect(left.turnS + left.driveS).toBe(0);
    expect(left.workS).toBeCloseTo(0.9, 6);
  });

  it('tells a turn from a drive by how far the machine comes from', () => {
    const near = {
      assignment: ASSIGNMENT,
      shareLeft: 1,
      swaths: SWATHS,
      started: [false, false, false],
    };
    // From the end of a section 12 m off its first swath: a turn, as one between swaths.
    const hop = sectionLeftParts({ ...near, from: [-6, -6] });
    expect(hop.turnS).toBeCloseTo(15 + 20, 6);
    expect(hop.driveS).toBe(0);
    expect(legAhead([{ ...near, from: [-6, -6] }])).toEqual({ kind: 'turn', plannedS: 15 });
    // From 200 m away: a drive, and the way behind a machine on it is drive.
    const far = sectionLeftParts({ ...near, from: [-200, 0] });
    expect(far.driveS).toBeCloseTo(15, 6);
    expect(far.turnS).toBeCloseTo(20, 6);
    expect(wayBehind([{ ...near, from: [-200, 0] }], 10)).toEqual({
      workS: 0,
      turnS: 0,
      driveS: 10,
    });
    expect(wayBehind([{ ...near, from: [-200, 0] }], 99).driveS).toBe(15);
  });
});
