import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command.js';

/** Parses an integer flag value within [min, max] or throws a UsageError naming the flag. */
export function parseIntegerFlag(flag: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`${flag} expects a whole number, got '${raw}'`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new UsageError(`${flag} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Parses HOST:PORT (port 0–65535; 0 picks a free one). */
export function parseHostPort(flag: string, raw: string): { host: string; port: number } {
  const match = /^([^:\s]+):(\d+)$/.exec(raw);
  if (!match?.[1] || !match[2]) throw new UsageError(`${flag} expects HOST:PORT, got '${raw}'`);
  return { host: match[1], port: parseIntegerFlag(flag, match[2], 0, 65535) };
}

type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** Parses a command's flags strictly (no positionals); an unknown or malformed flag is a UsageError. */
export function parseFlags<const O extends FlagOptions>(argv: readonly string[], options: O) {
  return parseCommandLine(argv, options, 0).values;
}

/**
 * Parses flags strictly and up to `maxPositionals` positional arguments; an unknown or malformed
 * flag, or one positional too many, is a UsageError.
 */
export function parseCommandLine<const O extends FlagOptions>(
  argv: readonly string[],
  options: O,
  maxPositionals: number,
) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], strict: true, allowPositionals: true, options });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : 'bad flags');
  }
  const extra = parsed.positionals.slice(maxPositionals);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra.join(' ')}`);
  return parsed;
}

/** Resolves when `signal` aborts (SIGINT/SIGTERM for long-running commands). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal.aborted) done();
    else signal.addEventListener('abort', () => done(), { once: true });
  });
}
