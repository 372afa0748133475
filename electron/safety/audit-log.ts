/**
 * The safety audit log: an append-only JSON-lines file in which every entry carries the SHA-256
 * of the previous one (a hash chain), so any edit, insertion, deletion or reordering breaks the
 * chain at that point. Each append is written and fsynced before it returns: a crash loses at
 * most the entry being written, and a torn last line is detected on open and dropped. A log
 * whose chain is broken elsewhere is moved aside untouched for inspection, and a new log starts
 * with its intact prefix and an entry saying what happened.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { AppendFile, quarantine, writeFileAtomically } from '../storage/index.js';

export const AUDIT_KINDS = [
  'stop',
  'confirm',
  'release',
  'release-refused',
  'comm-lost',
  'comm-restored',
  'safe-stop',
  'zone-hold',
  'zone-violation',
  'mode-change',
  'alert',
  'ack',
  'log-recovered',
] as const;

export const GENESIS_HASH = '0'.repeat(64);
/** The log's name in a station's data folder. */
export const AUDIT_LOG_FILE = 'audit.log';

const auditEntrySchema = z.strictObject({
  seq: z.number().int().nonnegative(),
  atWallMs: z.number(),
  kind: z.enum(AUDIT_KINDS),
  /** Who caused it: an operator, the station, a tractor id. */
  actor: z.string(),
  /** What it concerns: a stop id, a tractor id, 'fleet'. */
  subject: z.string(),
  detail: z.string(),
  prev: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditFields = Pick<AuditEntry, 'kind' | 'actor' | 'subject' | 'detail'>;

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const canonical = JSON.stringify([
    entry.seq,
    entry.atWallMs,
    entry.kind,
    entry.actor,
    entry.subject,
    entry.detail,
    entry.prev,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface ChainCheck {
  entries: AuditEntry[];
  /** Where the chain breaks (1-based line), if it does, and why. */
  broken: { line: number; reason: string } | null;
  /** The file does not end with a complete line: a crash cut the last write short. */
  tornTail: boolean;
}

/** Verifies a log's text: every line parses and links to the one before. */
export function checkChain(text: string): ChainCheck {
  const lines = text.split('\n');
  const tornTail = lines.at(-1) !== '';
  if (!tornTail) lines.pop();
  const entries: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const isTail = i === lines.length - 1 && tornTail;
    let parsed: AuditEntry;
    try {
      parsed = auditEntrySchema.parse(JSON.parse(line));
    } catch {
      if (isTail) return { entries, broken: null, tornTail: true };
      return { entries, broken: { line: i + 1, reason: 'not a valid entry' }, tornTail };
    }
    if (parsed.seq !== entries.length)
      return {
        entries,
        broken: { line: i + 1, reason: `sequence ${parsed.seq} out of order` },
        tornTail,
      };
    if (parsed.prev !== prev)
      return {
        entries,
        broken: { line: i + 1, reason: 'does not link to the entry before' },
        tornTail,
      };
    const { hash, ...body } = parsed;
    if (entryHash(body) !== hash)
      return {
        entries,
        broken: { line: i + 1, reason: 'its hash does not match its content' },
        tornTail,
      };
    entries.push(parsed);
    prev = hash;
  }
  return { entries, broken: null, tornTail };
}

/**
 * The chain's anchor: how many entries the log had and the hash of the last one, kept apart from
 * the log (the job record and the job's shared document). A chain verifies against itself even
 * when its tail was cut off or it was rewritten from scratch; against its anchor it does not.
 */
export interface AuditAnchor {
  count: number;
  lastHash: string;
}

/** Null when the entries extend the anchor (the log may have grown since); else what is wrong. */
export function anchorProblem(entries: readonly AuditEntry[], anchor: AuditAnchor): string | null {
  if (anchor.count === 0) return null;
  const at = entries[anchor.count - 1];
  if (!at)
    return `the log has ${entries.length} entries, but ${anchor.count} were anchored: ${anchor.count - entries.length} missing`;
  if (at.hash !== anchor.lastHash)
    return `entry ${anchor.count} does not match its anchor (the log was rewritten)`;
  return null;
}

export interface AuditLogOpened {
  log: AuditLog;
  /** What opening found wrong and did about it, for the station to report. */
  problem: string | null;
  /**
   * `torn-tail`: the entry being written when the process died was dropped (it was never
   * acknowledged); `broken`: the chain broke inside the log (damage or tampering) and the log was
   * moved aside, its intact prefix carried over.
   */
  repair: 'torn-tail' | 'broken' | null;
}

export class AuditLog {
  private readonly out: AppendFile;
  private prev: string;
  private seq: number;

  private constructor(
    readonly file: string,
    last: AuditEntry | undefined,
    private readonly wallNow: () => number,
  ) {
    this.prev = last?.hash ?? GENESIS_HASH;
    this.seq = last ? last.seq + 1 : 0;
    this.out = new AppendFile(file, 'full');
  }

  static open(file: string, wallNow: () => number): AuditLogOpened {
    mkdirSync(dirname(file), { recursive: true });
    if (!existsSync(file))
      return { log: new AuditLog(file, undefined, wallNow), problem: null, repair: null };
    const check = checkChain(readFileSync(file, 'utf8'));
    if (!check.broken && !check.tornTail)
      return {
        log: new AuditLog(file, check.entries.at(-1), wallNow),
        problem: null,
        repair: null,
      };
    const intact = check.entries.map((e) => `${JSON.stringify(e)}\n`).join('');
    let problem: string;
    if (check.broken) {
      const movedTo = quarantine(file, { wallMs: wallNow(), label: 'broken' });
      problem = `audit log chain broken at line ${check.broken.line} (${check.broken.reason}); original kept at ${movedTo}, ${check.entries.length} intact entries carried over`;
    } else {
      problem = `audit log ended in a torn entry (crash while writing); ${check.entries.length} intact entries kept`;
    }
    writeFileAtomically(file, intact);
    const log = new AuditLog(file, check.entries.at(-1), wallNow);
    log.append({ kind: 'log-recovered', actor: 'station', subject: 'audit-log', detail: problem });
    return { log, problem, repair: check.broken ? 'broken' : 'torn-tail' };
  }

  append(fields: AuditFields): AuditEntry {
    const body = { seq: this.seq, atWallMs: this.wallNow(), ...fields, prev: this.prev };
    const entry: AuditEntry = { ...body, hash: entryHash(body) };
    this.out.append(`${JSON.stringify(entry)}\n`);
    this.prev = entry.hash;
    this.seq++;
    return entry;
  }

  get length(): number {
    return this.seq;
  }

  /** The anchor of the chain as it stands now. */
  anchor(): AuditAnchor {
    return { count: this.seq, lastHash: this.prev };
  }

  /** Checks the log on disk against an anchor kept elsewhere; null when it extends it. */
  verifyAnchor(anchor: AuditAnchor): string | null {
    return anchorProblem(readAuditLog(this.file).entries, anchor);
  }

  close(): void {
    this.out.close();
  }
}

/** Reads and verifies a log file without changing it (for `headland audit`). */
export function readAuditLog(file: string): ChainCheck {
  return checkChain(readFileSync(file, 'utf8'));
}
