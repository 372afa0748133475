import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { FAULT_RELOG_MS, FaultReporter } from './fault-reporter.js';

function reporter(raise: (message: string) => void = () => undefined) {
  const clock = new ManualClock();
  const logged: string[] = [];
  const raised: string[] = [];
  const faults = new FaultReporter({
    clock,
    log: (line) => logged.push(line),
    raise: (message) => {
      raised.push(message);
      raise(message);
    },
  });
  return { clock, logged, raised, faults };
}

const failing = (): never => {
  throw new Error('EMFILE: too many open files');
};

describe('FaultReporter', () => {
  it('alerts a failing task once, logs it again at most once a minute, and notes its recovery', () => {
    const { clock, logged, raised, faults } = reporter();
    for (let i = 0; i < 100; i++) {
      expect(faults.run('housekeeping', failing)).toBeUndefined();
      clock.advance(25);
    }
    expect(raised).toHaveLength(1);
    expect(raised[0]).toContain('EMFILE');
    expect(logged).toHaveLength(1);
    clock.advance(FAULT_RELOG_MS);
    faults.run('housekeeping', failing);
    expect(logged.at(-1)).toMatch(/still failing \(101 times\)/);
    expect(faults.run('housekeeping', () => 7)).toBe(7);
    expect(logged.at(-1)).toMatch(/works again after 101 failure/);
    expect(faults.active()).toEqual([]);
    faults.run('housekeeping', failing);
    expect(raised).toHaveLength(2);
  });

  it('logs a fault met while raising the alert for another, without looping', () => {
    let faults: FaultReporter | null = null;
    const made = reporter(() => faults?.report('audit log', new Error('disk full')));
    faults = made.faults;
    faults.report('job record', new Error('disk full'));
    expect(made.raised).toHaveLength(1);
    expect(made.logged.some((l) => l.startsWith('station: audit log failed'))).toBe(true);
  });

  it('logs an alert that cannot be raised at all', () => {
    const made = reporter(() => {
      throw new Error('no alert for you');
    });
    made.faults.report('timer', new Error('boom'));
    expect(made.logged.some((l) => l.includes('could not be raised: no alert for you'))).toBe(true);
  });
});
