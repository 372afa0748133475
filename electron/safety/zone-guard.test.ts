import { describe, expect, it } from 'vitest';
import type { XY } from '../geometry/index.js';
import {
  DEFAULT_ZONE_GUARD,
  assessZones,
  type GuardAction,
  type GuardedMachine,
  type ZoneGuardConfig,
} from './zone-guard.js';

const square = (x0: number, y0: number, size: number): XY[] => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
];
const config = (over: Partial<ZoneGuardConfig> = {}): ZoneGuardConfig => ({
  ...DEFAULT_ZONE_GUARD,
  fence: square(0, 0, 500),
  zones: [{ id: 'pond', name: 'pond', ring: square(200, 200, 50) }],
  ...over,
});
const machine = (
  id: string,
  x: number,
  y: number,
  headingDeg: number,
  speedMps = 4,
): GuardedMachine => ({
  id,
  position: [x, y],
  headingDeg,
  speedMps,
  radiusM: 2.5,
  moving: true,
});

describe('zone guard', () => {
  it('leaves a machine alone when nothing is ahead', () => {
    expect(assessZones(config(), [machine('a', 100, 100, 0)])).toEqual([]);
  });

  it('slows, then holds, then stops a machine driving at a keep-out zone', () => {
    // Heading north at 4 m/s towards the pond's south edge at y = 200 (disc radius 2.5 m).
    const at = (y: number) => assessZones(config(), [machine('a', 225, y, 0)])[0];
    expect(at(180)).toBeUndefined(); // 17.5 m to go: 4.4 s, beyond the 4 s horizon
    expect(at(184)?.action).toBe('slow'); // 13.5 m: 3.4 s
    expect(at(190)?.action).toBe('hold'); // 7.5 m: 1.9 s
    expect(at(199)).toMatchObject({ action: 'stop', cause: 'zone', other: 'pond' });
  });

  it('holds a machine about to leave the field and lets one outside drive in', () => {
    expect(assessZones(config(), [machine('a', 250, 505, 0)])[0]).toMatchObject({
      action: 'hold',
      cause: 'fence',
    });
    expect(assessZones(config(), [machine('b', 250, 600, 180)])).toEqual([]);
  });

  it('only slows a machine in a headland turn pointing out of the field, and holds it at the widened boundary', () => {
    const turning = (y: number): GuardedMachine => ({ ...machine('a', 250, y, 0), turning: true });
    // The fence is the field (y ≤ 500) widened by 10 m; heading north at 4 m/s.
    expect(assessZones(config(), [turning(505)])[0]).toMatchObject({
      action: 'slow',
      cause: 'fence',
    });
    expect(assessZones(config(), [turning(509.5)])[0]).toMatchObject({
      action: 'hold',
      cause: 'fence',
    });
    // A machine working a straight pass is held 2 s ahead.
    expect(assessZones(config(), [machine('a', 250, 505, 0)])[0]?.action).toBe('hold');
  });

  it('makes the moving machine give way to a parked one; head-on, both wait', () => {
    const parked = { ...machine('a', 100, 120, 0, 0), moving: false };
    const [mover] = assessZones(config(), [parked, machine('b', 100, 105, 0)]);
    expect(mover).toMatchObject({ tractorId: 'b', cause: 'separation', other: 'a' });
    const headOn = assessZones(config(), [machine('a', 100, 100, 0), machine('b', 100, 120, 180)]);
    expect(headOn.map((h) => [h.tractorId, h.action]).sort()).toEqual([
      ['a', 'hold'],
      ['b', 'hold'],
    ]);
  });

  it('on crossing paths only the greater id gives way', () => {
    // a drives east, b north; each alone passes the other's current spot, together they meet.
    const crossing = assessZones(config(), [
      machine('a', 80, 100, 90, 5),
      machine('b', 100, 80, 0, 5),
    ]);
    expect(crossing.map((h) => h.tractorId)).toEqual(['b']);
  });

  it('a machine driving at a held one waits too, whatever the ids', () => {
    const held = machine('z', 100, 120, 180, 4); // held: predicted at its driving speed
    const actions = assessZones(config(), [held, machine('a', 100, 100, 0)]);
    expect(actions.find((x) => x.tractorId === 'a')).toMatchObject({ cause: 'separation' });
  });

  it('holds a machine closing on a held one, though the held one would drive away if let go', () => {
    // z is held standing (it would leave northwards at 4 m/s if let go); a creeps up behind it.
    const held: GuardedMachine = { ...machine('z', 100, 110, 0, 0), letGoSpeedMps: 4 };
    const actions = assessZones(config(), [held, machine('a', 100, 100, 0, 1)]);
    expect(actions.find((x) => x.tractorId === 'a')).toMatchObject({
      action: 'hold',
      cause: 'separation',
      other: 'z',
    });
    // Let go, z itself drives away from a: nothing holds it.
    expect(actions.find((x) => x.tractorId === 'z')).toBeUndefined();
  });

  describe('a machine that drives on', () => {
    it('holds the one crossing behind it only until it has passed', () => {
      // b waits (held, would leave north at 4 m/s); a, eastbound at 5 m/s, has crossed b's line
      // 3 m ahead and drives away: were a to stand there, b's path would meet it.
      const b: GuardedMachine = { ...machine('b', 100, 80, 0, 0), letGoSpeedMps: 4 };
      expect(assessZones(config(), [machine('a', 103, 100, 90, 5), b])).toEqual([]);
      // Still short of b's line, a is crossing: b waits.
      expect(assessZones(config(), [machine('a', 90, 100, 90, 5), b])).toEqual([
        expect.objectContaining({ tractorId: 'b', cause: 'separation', other: 'a' }),
      ]);
    });

    it('lets one follow another at its speed, and holds it behind one that is slower', () => {
      const leader = machine('a', 100, 120, 0, 4);
      expect(assessZones(config(), [leader, machine('b', 100, 100, 0, 4)])).toEqual([]);
      const catching = assessZones(config(), [
        { ...leader, speedMps: 1 },
        machine('b', 100, 100, 0, 4),
      ]);
      expect(catching).toEqual([
        expect.objectContaining({ tractorId: 'b', cause: 'separation', other: 'a' }),
      ]);
    });

    it('never lets another close inside the minimum gap when it stops dead', () => {
      // The guard every 100 ms, its limit obeyed 100 ms later (the next tick), the machine
      // stopping dead as the simulated ones do: the one ahead stops at any moment, or crosses.
      const TICK_S = 0.1;
      const cases: { lead: GuardedMachine; follow: GuardedMachine; stopAtS: number }[] = [];
      for (let stopAtS = 0; stopAtS <= 6; stopAtS += 0.3) {
        for (const gapM of [9, 12, 16, 24])
          cases.push({
            lead: machine('a', 100, 100 + 5 + gapM, 0, 4),
            follow: machine('b', 100, 100, 0, 5),
            stopAtS,
          });
        cases.push({
          lead: machine('a', 80, 125, 90, 5),
          follow: machine('b', 100, 100, 0, 5),
          stopAtS,
        });
      }
      for (const { lead, follow, stopAtS } of cases) {
        const limits = new Map<string, number>();
        let ms = [lead, follow];
        let least = Infinity;
        for (let tS = 0; tS < 12; tS += TICK_S) {
          const driving = ms.map((m) => {
            const cap = limits.get(m.id);
            const own = m.id === 'a' && tS >= stopAtS ? 0 : m.id === 'a' ? lead.speedMps : 5;
            const speedMps = cap === undefined ? own : Math.min(own, cap);
            return { ...m, speedMps, ...(cap === undefined ? {} : { letGoSpeedMps: own }) };
          });
          const actions = assessZones(config(), driving);
          expect(actions.filter((x) => x.action === 'stop')).toEqual([]);
          limits.clear();
          for (const x of actions) limits.set(x.tractorId, x.action === 'slow' ? 1 : 0);
          ms = driving.map((m) => {
            const rad = (m.headingDeg * Math.PI) / 180;
            const d = m.speedMps * TICK_S;
            return {
              ...m,
              position: [m.position[0] + Math.sin(rad) * d, m.position[1] + Math.cos(rad) * d],
            };
          });
          const [p, q] = ms;
          if (p && q)
            least = Math.min(
              least,
              Math.hypot(p.position[0] - q.position[0], p.position[1] - q.position[1]) - 5,
            );
        }
        expect(least).toBeGreaterThanOrEqual(DEFAULT_ZONE_GUARD.minGapM);
      }
    });
  });

  describe('right of way between two machines that hold each other', () => {
    // Working passes 9.3 m apart, driven in opposite directions (a pass end beside a headland
    // pass, as on the paddock): each, let go, would come within the buffer of the other standing.
    const held = (m: GuardedMachine): GuardedMachine => ({ ...m, speedMps: 0, letGoSpeedMps: 4 });
    const a = held(machine('a', 120, 109.3, 270));
    const b = held(machine('b', 100, 100, 90));
    const summary = (actions: GuardAction[]) =>
      actions.map((x) => [x.tractorId, x.action, x.cause]).sort();

    it('lets the smaller id go and holds the other', () => {
      expect(summary(assessZones(config(), [a, b]))).toEqual([['b', 'hold', 'separation']]);
      expect(summary(assessZones(config(), [b, a]))).toEqual([['b', 'hold', 'separation']]);
    });

    it('keeps it with the one that goes until it has passed, and never stops either', () => {
      const seen: { id: string; action: string; tS: number }[] = [];
      for (let tS = 0; tS <= 12; tS += 0.25) {
        const going: GuardedMachine = { ...a, position: [120 - 4 * tS, 109.3], speedMps: 4 };
        for (const x of assessZones(config(), [going, b]))
          seen.push({ id: x.tractorId, action: x.action, tS });
      }
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((x) => x.id === 'b' && x.action === 'hold')).toBe(true);
      // By 7 s a is 8 m past b: b is let go.
      expect(seen.filter((x) => x.tS >= 7)).toEqual([]);
    });

    it('gives it to the machine on a straight pass, not to one in a turn', () => {
      const turning = { ...a, turning: true };
      expect(summary(assessZones(config(), [turning, b]))).toEqual([['a', 'hold', 'separation']]);
    });

    it('gives it to neither when each would pass the other within the stop distance', () => {
      const faceToFace = [held(machine('a', 100, 100, 0)), held(machine('b', 100, 120, 180))];
      expect(summary(assessZones(config(), faceToFace))).toEqual([
        ['a', 'hold', 'separation'],
        ['b', 'hold', 'separation'],
      ]);
    });
  });

  it('stops both machines already too close and closing, but lets them part', () => {
    const closing = assessZones(config(), [machine('a', 100, 100, 0), machine('b', 100, 107, 180)]);
    expect(closing.map((a) => [a.tractorId, a.action]).sort()).toEqual([
      ['a', 'stop'],
      ['b', 'stop'],
    ]);
    expect(assessZones(config(), [machine('a', 100, 100, 180), machine('b', 100, 107, 0)])).toEqual(
      [],
    );
  });

  it('lets machines on adjacent 12 m swaths work side by side', () => {
    expect(assessZones(config(), [machine('a', 100, 100, 0), machine('b', 112, 100, 0)])).toEqual(
      [],
    );
  });
});
