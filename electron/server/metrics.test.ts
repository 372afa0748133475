/**
 * The station's metrics: the process's own figures are served with every station's, and a
 * station's metrics are let go with the station (a process that runs many stations in turn —
 * restarts, tests — must not keep each one alive through its figures).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { StationMetrics } from './metrics.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function metricsOf(station: { tractors: number }): StationMetrics {
  return new StationMetrics({
    tractors: () => station.tractors,
    stopsActive: () => 0,
    fleetMessages: () => 0,
  });
}

/** A station whose metrics were read once, then dropped; only a weak reference comes back. */
async function stationServedOnce(tractors: number): Promise<WeakRef<object>> {
  const station = { tractors, ballast: new Array<number>(10_000).fill(tractors) };
  await metricsOf(station).text();
  return new WeakRef(station);
}

describe('station metrics', () => {
  it("serves the process's figures beside the station's own, for every station", async () => {
    for (const tractors of [3, 5]) {
      const text = await metricsOf({ tractors }).text();
      expect(text).toContain('headland_process_resident_memory_bytes');
      expect(text).toContain('headland_nodejs_eventloop_lag_seconds');
      expect(text).toContain(`headland_tractors ${tractors}`);
    }
  });

  it('lets a station go once nothing else holds it', async () => {
    const refs: WeakRef<object>[] = [];
    for (let i = 0; i < 5; i++) refs.push(await stationServedOnce(i));
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      collectGarbage();
    }
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  });
});
