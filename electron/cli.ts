/**
 * `headland <command> [flags]`: the station's command line. Each subcommand lives in
 * electron/commands/; this file only dispatches, prints usage errors and maps signals.
 */
import { SOFTWARE_VERSION } from './runtime/index.js';
import {
  UsageError,
  auditCommand,
  canCommand,
  exportCommand,
  importCommand,
  officeCommand,
  replayCommand,
  serveCommand,
  simCommand,
  type CliCommand,
  type CliIo,
} from './commands/index.js';

export const COMMANDS: readonly CliCommand[] = [
  serveCommand,
  officeCommand,
  simCommand,
  importCommand,
  exportCommand,
  replayCommand,
  auditCommand,
  canCommand,
];

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `headland ${SOFTWARE_VERSION} — fleet control station for autonomous tractors`,
    '',
    'Usage: headland <command> [options]   (headland <command> --help for its options)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

/** Runs the CLI; resolves to the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.stdout(SOFTWARE_VERSION);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`headland: unknown command '${name}'\n\n${helpText()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io, signal);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`headland ${command.name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    io.stderr(`headland ${command.name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

/**
 * Entry point when run as a program: wires stdio, SIGINT/SIGTERM and the exit code. Only a
 * command that shuts down on its signal gets the signals; any other is ended by them at once
 * (a handler would swallow them while `import` validates a file for minutes).
 */
export async function main(): Promise<void> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  const stopsOnSignal = COMMANDS.find((c) => c.name === process.argv[2])?.stopsOnSignal === true;
  if (stopsOnSignal) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  const code = await runCli(
    process.argv.slice(2),
    {
      stdout: (line) => process.stdout.write(`${line}\n`),
      stderr: (line) => process.stderr.write(`${line}\n`),
    },
    controller.signal,
  );
  process.exitCode = code;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
}
