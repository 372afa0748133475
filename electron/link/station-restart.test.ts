import { describe, expect, it } from 'vitest';
import { runRestartScenario } from './test-helpers/restart-scenario.js';

describe('station crash and restart (a real process killed with SIGKILL)', () => {
  it('delivers every message the killed station acknowledged exactly once and in order after the restart', async () => {
    const result = await runRestartScenario({ ackedBeforeKill: 300 });
    expect(result.acked).toBeGreaterThanOrEqual(300);
    expect(result.lost).toBe(0);
    expect(result.duplicates).toBe(0);
    expect(result.outOfOrder).toBe(0);
  }, 60_000);
});
