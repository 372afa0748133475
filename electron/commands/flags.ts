import { UsageError } from './command.js';

/** Parses an integer flag value within [min, max] or throws a UsageError naming the flag. */
export function parseIntegerFlag(flag: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`${flag} expects a whole number, got '${raw}'`);
  const value = Number(raw);
  if (value < min || value > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Parses HOST:PORT (port 0–65535; 0 picks a free one). */
export function parseHostPort(flag: string, raw: string): { host: string; port: number } {
  const match = /^([^:\s]+):(\d+)$/.exec(raw);
  if (!match?.[1] || !match[2]) throw new UsageError(`${flag} expects HOST:PORT, got '${raw}'`);
  return { host: match[1], port: parseIntegerFlag(flag, match[2], 0, 65535) };
}
