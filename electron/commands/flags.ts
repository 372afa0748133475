import { UsageError } from './command.js';

/** Parses an integer flag value within [min, max] or throws a UsageError naming the flag. */
export function parseIntegerFlag(flag: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`${flag} expects a whole number, got '${raw}'`);
  const value = Number(raw);
  if (value < min || value > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${value}`);
  return value;
}
