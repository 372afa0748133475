import { describe, expect, it } from 'vitest';
import { saveBeforeQuit, type QuittingApp } from './save-before-quit.js';

/** An app whose quit runs its before-quit listeners the way Electron's does. */
function fakeApp(): QuittingApp & { quits: number; exits: number[]; quitted: boolean } {
  const listeners: ((event: { preventDefault(): void }) => void)[] = [];
  const app = {
    quits: 0,
    exits: [] as number[],
    quitted: false,
    on(_event: 'before-quit', listener: (event: { preventDefault(): void }) => void) {
      listeners.push(listener);
    },
    quit() {
      app.quits++;
      const event = { prevented: false, preventDefault: () => (event.prevented = true) };
      for (const l of listeners) l(event);
      if (!event.prevented) app.quitted = true;
    },
    exit(code: number) {
      app.exits.push(code);
    },
  };
  return app;
}

describe('saveBeforeQuit', () => {
  it('holds the quit until the station is closed (its job saved), then quits', async () => {
    const app = fakeApp();
    let finish: () => void = () => undefined;
    const closing = new Promise<void>((resolve) => (finish = resolve));
    let closes = 0;
    saveBeforeQuit(
      app,
      () => {
        closes++;
        return closing;
      },
      () => undefined,
    );
    app.quit();
    expect(app.quitted).toBe(false);
    app.quit(); // a second quit while saving waits for the same close
    expect(closes).toBe(1);
    finish();
    await closing;
    await Promise.resolve();
    expect(app.quitted).toBe(true);
  });

  it('exits with 1 when closing fails, saying why', async () => {
    const app = fakeApp();
    const lines: string[] = [];
    saveBeforeQuit(
      app,
      () => Promise.reject(new Error('disk full')),
      (l) => lines.push(l),
    );
    app.quit();
    await new Promise((r) => setTimeout(r, 0));
    expect(app.exits).toEqual([1]);
    expect(lines.join('\n')).toMatch(/disk full/);
  });
});
