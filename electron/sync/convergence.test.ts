import * as Y from 'yjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FleetNetwork } from './test-helpers/fleet-network.js';
import { segment } from './test-helpers/builders.js';

type Op =
  | { kind: 'assign'; who: number; section: number; tractor: number }
  | { kind: 'coverage'; who: number; n: number }
  | { kind: 'status'; who: number; working: boolean }
  | { kind: 'mode'; who: number }
  | { kind: 'estop'; who: number }
  | { kind: 'release'; who: number }
  | { kind: 'deliver'; k: number; dup: boolean }
  | { kind: 'drop'; k: number }
  | { kind: 'cut'; a: number; b: number; up: boolean }
  | { kind: 'tick'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('assign' as const),
    who: fc.nat(),
    section: fc.nat(),
    tractor: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('coverage' as const),
    who: fc.nat(),
    n: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constant('status' as const), who: fc.nat(), working: fc.boolean() }),
  fc.record({ kind: fc.constant('mode' as const), who: fc.nat() }),
  fc.record({ kind: fc.constant('estop' as const), who: fc.nat() }),
  fc.record({ kind: fc.constant('release' as const), who: fc.nat() }),
  {
    arbitrary: fc.record({ kind: fc.constant('deliver' as const), k: fc.nat(), dup: fc.boolean() }),
    weight: 6,
  },
  fc.record({ kind: fc.constant('drop' as const), k: fc.nat() }),
  fc.record({ kind: fc.constant('cut' as const), a: fc.nat(), b: fc.nat(), up: fc.boolean() }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 2_000 }) }),
);

describe('convergence under partitions, loss, duplication and reordering', () => {
  it('heals to identical replicas with the invariants intact', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 17 }),
        fc.array(op, { maxLength: 120 }),
        (stations, tractors, ops) => {
          const net = new FleetNetwork(stations, tractors, 6);
          const n = net.replicas.length;
          const stationIdx = (w: number): number => w % stations;
          const tractorIdx = (w: number): number => stations + (w % tractors);
          const written = new Map<string, number>();
          const coverageSeen = net.replicas.map(() => 0);
          const released = net.replicas.map(() => new Set<string>());
          let estops = 0;
          for (const o of ops) {
            switch (o.kind) {
              case 'assign':
                net.replicas[stationIdx(o.who)]!.job.assign(
                  `s${(o.section % 6) + 1}`,
                  `t${(o.tractor % tractors) + 1}`,
                  'prop',
                );
                break;
              case 'coverage': {
                const r = net.replicas[tractorIdx(o.who)]!;
                const before = written.get(r.name) ?? 0;
                r.job.appendCoverage(
                  r.name,
                  Array.from({ length: o.n }, (_, i) => segment(before + i, before + i)),
                );
                written.set(r.name, before + o.n);
                break;
              }
              case 'status': {
                const r = net.replicas[tractorIdx(o.who)]!;
                r.job.setTractorStatus(r.name, {
                  mode: 'autonomous',
                  activity: o.working ? 'working' : 'paused',
                });
                break;
              }
              case 'mode':
                net.replicas[stationIdx(o.who)]!.job.setJobMode(
                  o.who % 2 === 0 ? 'running' : 'paused',
                  'prop',
                );
                break;
              case 'estop':
                net.replicas[stationIdx(o.who)]!.job.recordEstop({
                  id: `e${++estops}`,
                  scope: 'fleet',
                  reason: 'prop',
                });
                break;
              case 'release': {
                const job = net.replicas[stationIdx(o.who)]!.job;
                const active = job.snapshot().estops.find((e) => e.active);
                if (active) job.releaseEstop(active.id);
                break;
              }
              case 'deliver':
                net.deliver(o.k, o.dup);
                break;
              case 'drop':
                net.drop(o.k);
                break;
              case 'cut':
                net.setLink(o.a % n, o.b % n, o.up);
                break;
              case 'tick':
                net.clock.advance(o.ms);
                break;
            }
            // Invariants hold at every step on every replica.
            net.replicas.forEach((r, i) => {
              const snap = r.job.snapshot();
              const cov = Object.values(snap.coverageSegmentCounts).reduce((a, b) => a + b, 0);
              expect(cov).toBeGreaterThanOrEqual(coverageSeen[i]!);
              coverageSeen[i] = cov;
              for (const e of snap.estops) {
                if (released[i]!.has(e.id)) expect(e.active).toBe(false);
                if (!e.active) released[i]!.add(e.id);
              }
            });
          }
          expect(net.heal()).toBeGreaterThan(0);
          const reference = net.replicas[0]!;
          const refSnap = reference.job.snapshot();
          for (const r of net.replicas) {
            expect(Y.encodeStateVector(r.job.doc)).toEqual(Y.encodeStateVector(reference.job.doc));
            expect(r.job.snapshot()).toEqual(refSnap);
            // Honest traffic is never refused for anything but gaps from loss and reordering.
            expect(r.gate.stats.rejected).toBe(r.gate.stats.byReason['clock-gap'] ?? 0);
          }
          // No section held by two tractors: each has one effective holder, the same everywhere.
          for (const s of refSnap.sections)
            expect(s.tractorId === null || /^t\d+$/.test(s.tractorId)).toBe(true);
          // Coverage is the union of everything written; nothing lost, nothing counted twice.
          for (const [name, count] of written) {
            expect(refSnap.coverageSegmentCounts[name]).toBe(count);
            expect(new Set(reference.job.coverage(name).map((s) => s.tMs)).size).toBe(count);
          }
        },
      ),
      { numRuns: 40, seed: 606 },
    );
  }, 60_000);
});
