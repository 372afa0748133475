/**
 * What can go wrong when a job is exported, as a typed error the command turns into one line on
 * stderr and an exit code: `usage` (bad arguments, exit 2) and the rest (exit 1).
 */
export type ExportProblem = 'usage' | 'not-found' | 'corrupt' | 'io';

export class ExportError extends Error {
  override readonly name = 'ExportError';

  constructor(
    readonly problem: ExportProblem,
    message: string,
  ) {
    super(message);
  }
}

/** The message of anything thrown, for wrapping third-party errors into an ExportError. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
