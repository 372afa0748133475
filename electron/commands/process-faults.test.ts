import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { FAULT_LOG_BURST, FAULT_LOG_WINDOW_MS, keepRunningOnFaults } from './process-faults.js';

const CHILD = join(import.meta.dirname, 'test-helpers', 'faulty-child.ts');

function runChild(mode: 'on' | 'off'): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('the process-level fault handler', () => {
  it('keeps a real process running through a throwing timer and an unhandled rejection', async () => {
    const withHandler = await runChild('on');
    expect(withHandler.out).toBe('alive\n');
    expect(withHandler.code).toBe(0);
    expect(withHandler.err).toContain('uncaught exception, kept running: Error: a timer threw');
    expect(withHandler.err).toContain('unhandled rejection, kept running: Error: nobody caught');
    expect(withHandler.err).toContain('reported uncaught exception');
    // The same child without it: the first fault ends the process.
    const without = await runChild('off');
    expect(without.out).toBe('');
    expect(without.code).not.toBe(0);
  }, 30_000);

  it('caps its log lines, counts the rest and removes its handlers', () => {
    const proc = new EventEmitter();
    const clock = new ManualClock();
    const logged: string[] = [];
    const reported: string[] = [];
    const remove = keepRunningOnFaults(proc, {
      clock,
      log: (line) => logged.push(line),
      report: (source) => reported.push(source),
    });
    for (let i = 0; i < FAULT_LOG_BURST + 5; i++)
      proc.emit('uncaughtException', new Error(`e${i}`));
    expect(logged).toHaveLength(FAULT_LOG_BURST);
    expect(reported).toHaveLength(FAULT_LOG_BURST + 5);
    clock.advance(FAULT_LOG_WINDOW_MS);
    proc.emit('unhandledRejection', 'a string reason');
    expect(logged.slice(-2)).toEqual([
      'process: 5 more fault(s) not logged',
      'process: unhandled rejection, kept running: a string reason',
    ]);
    remove();
    expect(proc.listenerCount('uncaughtException')).toBe(0);
    expect(proc.listenerCount('unhandledRejection')).toBe(0);
  });
});
