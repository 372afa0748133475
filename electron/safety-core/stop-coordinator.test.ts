import { describe, expect, it } from 'vitest';
import { ESTOP_KEEPALIVE_MS, ESTOP_REPEAT_MS, StopCoordinator } from './stop-coordinator.js';

describe('StopCoordinator', () => {
  it('repeats a stop quickly until every tractor confirms, then at the keep-alive rate', () => {
    const stops = new StopCoordinator('stop');
    const stop = stops.issue('fleet', ['a', 'b'], 0, 1_000, 'operator');
    expect(stops.dueForRepeat(ESTOP_REPEAT_MS - 1)).toEqual([]);
    expect(stops.dueForRepeat(ESTOP_REPEAT_MS)).toHaveLength(1);
    stops.confirm(stop.id, 'a', 60);
    stops.confirm(stop.id, 'b', 70);
    expect(stops.dueForRepeat(2 * ESTOP_REPEAT_MS)).toEqual([]);
    expect(stops.dueForRepeat(ESTOP_REPEAT_MS + ESTOP_KEEPALIVE_MS)).toHaveLength(1);
  });

  it('records confirmation latency from the moment the stop was issued', () => {
    const stops = new StopCoordinator('stop');
    const stop = stops.issue('fleet', ['a'], 100, 1_000, 'operator');
    expect(stops.confirm(stop.id, 'a', 112)).toBe(true);
    expect(stop.tractors.get('a')).toEqual({ status: 'confirmed', latencyMs: 12 });
    expect(stops.confirm(stop.id, 'a', 200)).toBe(false);
  });

  it('holds a tractor that joins while a fleet stop is active', () => {
    const stops = new StopCoordinator('stop');
    const fleet = stops.issue('fleet', ['a'], 0, 0, 'operator');
    stops.issue('b', ['b'], 0, 0, 'operator');
    expect(stops.addToFleetStops('c').map((s) => s.id)).toEqual([fleet.id]);
    expect(stops.holding('c')).toHaveLength(1);
  });

  it('marks silent tractors lost and asks them again when heard', () => {
    const stops = new StopCoordinator('stop');
    const stop = stops.issue('fleet', ['a'], 0, 0, 'operator');
    stops.markLost('a');
    expect(stop.tractors.get('a')?.status).toBe('lost');
    stops.markHeard('a');
    expect(stop.tractors.get('a')?.status).toBe('sent');
  });

  it('ends a stop only when its last tractor is released', () => {
    const stops = new StopCoordinator('stop');
    const stop = stops.issue('fleet', ['a', 'b'], 0, 0, 'operator');
    stops.release(stop.id, ['a']);
    expect(stops.get(stop.id)).toBeDefined();
    stops.release(stop.id, ['b']);
    expect(stops.get(stop.id)).toBeUndefined();
  });
});
