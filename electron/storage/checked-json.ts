/**
 * JSON files that carry their own checksum, so a flipped bit that still parses (a digit of an
 * area, a letter of a stop id) is found on load instead of being believed. The file stays plain
 * JSON that any tool reads: one more member, `checksum`, the SHA-256 of the value serialised
 * without it. JSON.parse keeps member order and JavaScript prints numbers in their shortest
 * round-trip form, so re-serialising what was read reproduces the bytes that were hashed.
 */
import { createHash } from 'node:crypto';

export const CHECKSUM_MEMBER = 'checksum';

export type CheckedJson =
  | { ok: true; value: unknown; /** False for a file written before checksums. */ checked: boolean }
  | { ok: false; error: string };

function digest(json: string): string {
  return createHash('sha256').update(json, 'utf8').digest('hex');
}

/** `value` (an object) as JSON with its checksum as the last member, and a newline. */
export function stampJson(value: Record<string, unknown>): string {
  const body = Object.fromEntries(Object.entries(value).filter(([k]) => k !== CHECKSUM_MEMBER));
  return `${JSON.stringify({ ...body, [CHECKSUM_MEMBER]: digest(JSON.stringify(body)) })}\n`;
}

/**
 * Parses and verifies. A file without the member is accepted as written before checksums
 * (`checked: false`); a checksum that does not match is an error naming it.
 */
export function readCheckedJson(text: string): CheckedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, error: 'not a JSON object' };
  const record = value as Record<string, unknown>;
  if (!(CHECKSUM_MEMBER in record)) return { ok: true, value, checked: false };
  const { [CHECKSUM_MEMBER]: stated, ...body } = record;
  if (typeof stated !== 'string' || stated !== digest(JSON.stringify(body)))
    return { ok: false, error: 'checksum mismatch (the file was damaged)' };
  return { ok: true, value: body, checked: true };
}
