import { describe, expect, it } from 'vitest';
import { CommandTurns } from './command-turns.js';

/** Turns that come only when the test says: what runs in each is visible. */
function manualTurns(): { turns: CommandTurns; waiting: () => number; turn: () => void } {
  const later: (() => void)[] = [];
  const turns = new CommandTurns((fn) => later.push(fn));
  return { turns, waiting: () => later.length, turn: () => later.shift()?.() };
}

describe('CommandTurns', () => {
  it('runs one command per turn, in the order they came', async () => {
    const { turns, waiting, turn } = manualTurns();
    const ran: number[] = [];
    const results = [1, 2, 3].map((n) => turns.run(() => (ran.push(n), n * 10)));
    expect(ran).toEqual([]);
    expect(waiting()).toBe(1);
    turn();
    expect(ran).toEqual([1]);
    turn();
    turn();
    expect(ran).toEqual([1, 2, 3]);
    expect(waiting()).toBe(0);
    expect(await Promise.all(results)).toEqual([10, 20, 30]);
  });

  it('hands back a command that throws as a rejection and goes on with the next', async () => {
    const { turns, turn } = manualTurns();
    const failing = turns.run(() => {
      throw new Error('refused');
    });
    const next = turns.run(() => 'next');
    turn();
    turn();
    await expect(failing).rejects.toThrow('refused');
    await expect(next).resolves.toBe('next');
  });

  it('lets other work run between commands on the real event loop', async () => {
    const turns = new CommandTurns();
    const order: string[] = [];
    const done = [turns.run(() => order.push('a')), turns.run(() => order.push('b'))];
    setImmediate(() => order.push('timer-free turn'));
    await Promise.all(done);
    expect(order).toEqual(['a', 'timer-free turn', 'b']);
  });
});
