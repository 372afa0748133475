import { describe, expect, it } from 'vitest';
import {
  COMM_LOST_MS,
  ESTOP_FAST_REPEAT_FOR_MS,
  ESTOP_KEEPALIVE_MS,
  ESTOP_REPEAT_MS,
  ESTOP_SLOW_REPEAT_MS,
  LINK_DEGRADED_MS,
  MAIN_THREAD_SILENCE_MS,
  SAFETY_TICK_MS,
  STATION_HEARTBEAT_MS,
  STATION_SILENCE_STOP_MS,
  TELEMETRY_PERIOD_MS,
} from './safety-timing.js';

describe('safety timings and how they must relate', () => {
  it('a tractor stops on silence only after many heartbeats in a row are lost', () => {
    // 15 in a row at 10% loss: 1e-15 per heartbeat (docs/safety.md, "Heartbeat arithmetic").
    expect(STATION_SILENCE_STOP_MS / STATION_HEARTBEAT_MS).toBeGreaterThanOrEqual(15);
  });

  it('COMM LOST needs several of a tractor’s frames lost, and shows within 500 ms', () => {
    // Telemetry A and B every 100 ms: at least 8 frames in a row.
    expect((2 * COMM_LOST_MS) / TELEMETRY_PERIOD_MS).toBeGreaterThanOrEqual(8);
    expect(COMM_LOST_MS + SAFETY_TICK_MS).toBeLessThanOrEqual(500);
    expect(LINK_DEGRADED_MS).toBeLessThanOrEqual(COMM_LOST_MS);
  });

  it('a stop is repeated faster than a tractor’s silence stop, and slows before it could fill the bus', () => {
    expect(SAFETY_TICK_MS).toBeLessThanOrEqual(ESTOP_REPEAT_MS);
    expect(ESTOP_REPEAT_MS).toBeLessThan(STATION_SILENCE_STOP_MS);
    expect(ESTOP_FAST_REPEAT_FOR_MS).toBeGreaterThan(STATION_SILENCE_STOP_MS);
    expect(ESTOP_SLOW_REPEAT_MS).toBeGreaterThan(ESTOP_REPEAT_MS);
    expect(ESTOP_KEEPALIVE_MS).toBeGreaterThan(ESTOP_SLOW_REPEAT_MS);
  });

  it('the core holds the fleet on a silent main thread later than any one stall it rides out', () => {
    expect(MAIN_THREAD_SILENCE_MS).toBeGreaterThan(STATION_SILENCE_STOP_MS);
  });
});
