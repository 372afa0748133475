import { CanFrameError, formatFrame, fromHex, validateFrame, type CanFrame } from './can-frame.js';

/**
 * The candump log format (`candump -l` / `-L`, read by canplayer and python-can's CanutilsLogReader):
 * one frame per line, `(seconds.micros) iface ID#DATA`, extended ids as 8 hex digits, standard as 3.
 */
export interface CandumpRecord {
  readonly iface: string;
  readonly frame: CanFrame;
}

export class CandumpParseError extends Error {
  override readonly name = 'CandumpParseError';
  constructor(
    readonly lineNumber: number,
    message: string,
  ) {
    super(`candump line ${lineNumber}: ${message}`);
  }
}

const LINE = /^\((\d+)\.(\d{1,9})\)\s+(\S+)\s+([0-9A-Fa-f]{1,8})#([0-9A-Fa-f]*)$/;

export function formatCandumpLine(frame: CanFrame, iface: string): string {
  const tsMs = frame.timestampMs ?? 0;
  const micros = Math.round(tsMs * 1000);
  const seconds = Math.floor(micros / 1_000_000);
  const frac = String(micros - seconds * 1_000_000).padStart(6, '0');
  return `(${seconds}.${frac}) ${iface} ${formatFrame(frame)}`;
}

export function parseCandumpLine(line: string, lineNumber = 1): CandumpRecord {
  const match = LINE.exec(line.trim());
  if (!match)
    throw new CandumpParseError(lineNumber, `not a candump frame: '${line.slice(0, 80)}'`);
  const [, secs = '0', frac = '0', iface = '', idHex = '', dataHex = ''] = match;
  // Extended when written with more than 3 digits, as candump/canplayer decide (lib.c parse_canframe).
  const extended = idHex.length > 3;
  const timestampMs = Number(secs) * 1000 + Number(frac.padEnd(6, '0').slice(0, 6)) / 1000;
  try {
    const frame = validateFrame({
      id: Number.parseInt(idHex, 16),
      extended,
      data: fromHex(dataHex),
      timestampMs,
    });
    return { iface, frame };
  } catch (error) {
    if (error instanceof CanFrameError) throw new CandumpParseError(lineNumber, error.message);
    throw error;
  }
}

/** Parses a whole log; blank lines are skipped, anything else malformed throws with its line. */
export function parseCandumpLog(text: string): CandumpRecord[] {
  const records: CandumpRecord[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    records.push(parseCandumpLine(line, index + 1));
  });
  return records;
}

export function formatCandumpLog(records: readonly CandumpRecord[]): string {
  return records.map((r) => `${formatCandumpLine(r.frame, r.iface)}\n`).join('');
}
