/**
 * One way to put a damaged file aside: it is renamed (never deleted, never rewritten) to
 * `<file>.<label>-<wall ms>` beside itself, so an investigation finds it next to the file that
 * replaced it, and the rename is made durable. The caller says what it salvaged and raises the
 * alert; this only moves the evidence out of the way.
 */
import { copyFileSync, existsSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncDirectory } from './durable-file.js';

export interface QuarantineOptions {
  /** Wall-clock milliseconds for the name (injected: no Date.now() in the core). */
  wallMs: number;
  /** The name's label: `corrupt` (unreadable, damaged) unless told, e.g. `broken`. */
  label?: string;
}

/** The free name `<file>.<label>-<ms>` (with `-2`, `-3`… when taken). */
export function quarantineName(file: string, options: QuarantineOptions): string {
  const base = `${file}.${options.label ?? 'corrupt'}-${Math.floor(options.wallMs)}`;
  if (!existsSync(base)) return base;
  for (let n = 2; ; n++) if (!existsSync(`${base}-${n}`)) return `${base}-${n}`;
}

/** Moves `file` aside; returns where it went. */
export function quarantine(file: string, options: QuarantineOptions): string {
  const to = quarantineName(file, options);
  renameSync(file, to);
  fsyncDirectory(dirname(file));
  return to;
}

/** Keeps a copy of `file` aside (the file itself stays, e.g. to be repaired in place). */
export function quarantineCopy(file: string, options: QuarantineOptions): string {
  const to = quarantineName(file, options);
  copyFileSync(file, to);
  fsyncDirectory(dirname(file));
  return to;
}
