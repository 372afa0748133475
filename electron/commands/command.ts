/**
 * One `headland` subcommand. `electron/cli.ts` dispatches `headland <name> ...args` to the
 * command whose `name` matches; each command parses its own flags (node:util parseArgs, strict)
 * and throws UsageError for bad ones, which the CLI prints with the usage and exit code 2.
 */
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

export interface CliCommand {
  readonly name: string;
  /** One line for `headland --help`. */
  readonly summary: string;
  /** The full usage text printed for `headland <name> --help` and on a UsageError. */
  readonly usage: string;
  /**
   * Whether the command ends by itself on SIGINT/SIGTERM (its `signal` aborts and it shuts down
   * cleanly: serve saves the job). Every other command is ended by the signal at once, as any
   * program is, even in the middle of reading a file.
   */
  readonly stopsOnSignal?: boolean;
  /** Resolves to the process exit code. Long-running commands finish when `signal` aborts. */
  run(argv: readonly string[], io: CliIo, signal: AbortSignal): Promise<number>;
}

/** A bad flag or argument: the CLI prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
