/**
 * Quitting the window must not lose the last save: Electron's `before-quit` does not wait for a
 * promise, so the first quit is held (preventDefault), the runtime is closed — the job written
 * first — and only then is the quit repeated. A quit asked for while closing waits for the same
 * close; one that comes after it goes through.
 */

/** The part of Electron's `app` this needs (an interface, so it runs under plain Node tests). */
export interface QuittingApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
  exit(code: number): void;
}

export function saveBeforeQuit(
  app: QuittingApp,
  close: () => Promise<void>,
  log: (line: string) => void,
): void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    close().then(
      () => {
        state = 'closed';
        app.quit();
      },
      (error: unknown) => {
        state = 'closed';
        log(
          `headland: closing the station failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        app.exit(1);
      },
    );
  });
}
