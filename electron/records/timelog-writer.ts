/**
 * ISO 11783-10 time logs (TLG) of the straight runs the coverage log holds: per tractor a header (TLGnnnnn.XML, a TIM whose empty attributes
 * say what each binary record holds) and the records (TLGnnnnn.BIN, little-endian). Each record is
 * a position with the implement's actual working width (DDI 0x0043, mm) and actual work state
 * (DDI 0x008D, 1 = working, 0 = not): the ground between a record and the next was worked at
 * that width when the first one says "working". This is what task controllers log and farm
 * management software turns into as-applied maps. A refill stop adds two records at the refill
 * point, when the machine arrived and when it left, both with the work state 0: the stretch to
 * the point, the stop and the way back are logged as not working, as a task controller logs the
 * implement lifted (actual work state, DDI 141, is 0 while the implement is not working).
 */
import type { LonLat, TangentFrame } from '../fleet/index.js';
import type { RefillStop } from './refill-stops.js';
import type { StraightRun } from './straight-runs.js';

export const DDI_ACTUAL_WORKING_WIDTH = 0x0043; // ISO 11783-11 DDI 67, mm
export const DDI_ACTUAL_WORK_STATE = 0x008d; // ISO 11783-11 DDI 141, 0 off / 1 on
/** ISO 11783-10 binary positions are integers of 1e-7 degrees (about 1 cm). */
const POSITION_SCALE = 1e7;
/** Time log dates count days from 1980-01-01 (ISO 11783-10, TLG binary TimeStart). */
const DATE_EPOCH_MS = Date.UTC(1980, 0, 1);
const DAY_MS = 86_400_000;
/** PositionStatus 1: GNSS fix (ISO 11783-10 PTN D); the log holds no finer fix quality. */
const POSITION_STATUS_GNSS = 1;
/** A run continues the previous one when it starts within this distance of its end. */
const SAME_POINT_M = 0.015;
const RECORD_BYTES = 6 + 9 + 1 + 2 * 5;

export interface TimeLogFiles {
  header: string;
  binary: Uint8Array;
  records: number;
}

interface LogPoint {
  tMs: number;
  at: LonLat;
  widthMm: number;
  working: 0 | 1;
}

function points(
  runs: readonly StraightRun[],
  frame: TangentFrame,
  stops: readonly RefillStop[],
): LogPoint[] {
  const out: LogPoint[] = [];
  let prev: StraightRun | null = null;
  let next = 0;
  // Records stay in time order: a run stamped when the station wrote it may end a moment after
  // the machine reached the point, so a stop's record is never dated before the one before it.
  const record = (tMs: number, at: LonLat, widthMm: number, working: 0 | 1): void => {
    out.push({ tMs: Math.max(tMs, out[out.length - 1]?.tMs ?? tMs), at, widthMm, working });
  };
  /** The stops the machine arrived at before `tMs`, each an arrival and a departure, work off. */
  const stopsBefore = (tMs: number, nextWidthMm: number): void => {
    for (let stop = stops[next]; stop && stop.arrivedAtWallMs <= tMs; stop = stops[++next]) {
      // The implement keeps its width while lifted; the width logged is the last one, or the next.
      const widthMm = out[out.length - 1]?.widthMm ?? nextWidthMm;
      record(stop.arrivedAtWallMs, stop.position, widthMm, 0);
      record(stop.leftAtWallMs, stop.position, widthMm, 0);
      // Work after a stop starts a new stretch, even where the machine picks up where it left off.
      prev = null;
    }
  };
  for (const s of runs) {
    const widthMm = Math.round(s.widthM * 1000);
    stopsBefore(s.startMs, widthMm);
    const continues =
      prev !== null &&
      Math.hypot(s.start[0] - prev.end[0], s.start[1] - prev.end[1]) <= SAME_POINT_M &&
      Math.round(prev.widthM * 1000) === widthMm;
    const last = out[out.length - 1];
    if (!continues || !last) record(s.startMs, frame.toLonLat(s.start), widthMm, 1);
    else last.working = 1;
    record(s.endMs, frame.toLonLat(s.end), widthMm, 0);
    prev = s;
  }
  stopsBefore(Infinity, 0);
  return out;
}

/**
 * The header and records of one tractor's time log; DLV 0 is the width, DLV 1 the work state.
 * `stops` are the machine's refill stops in time order.
 */
export function writeTimeLog(
  runs: readonly StraightRun[],
  frame: TangentFrame,
  deviceElementId: string,
  stops: readonly RefillStop[] = [],
): TimeLogFiles {
  const pts = points(runs, frame, stops);
  const binary = new Uint8Array(pts.length * RECORD_BYTES);
  const view = new DataView(binary.buffer);
  let p = 0;
  for (const pt of pts) {
    const sinceEpoch = Math.max(0, pt.tMs - DATE_EPOCH_MS);
    view.setUint32(p, sinceEpoch % DAY_MS, true);
    view.setUint16(p + 4, Math.floor(sinceEpoch / DAY_MS), true);
    view.setInt32(p + 6, Math.round(pt.at[1] * POSITION_SCALE), true);
    view.setInt32(p + 10, Math.round(pt.at[0] * POSITION_SCALE), true);
    view.setUint8(p + 14, POSITION_STATUS_GNSS);
    view.setUint8(p + 15, 2);
    view.setUint8(p + 16, 0);
    view.setInt32(p + 17, pt.widthMm, true);
    view.setUint8(p + 21, 1);
    view.setInt32(p + 22, pt.working, true);
    p += RECORD_BYTES;
  }
  const ddi = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
  const header = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<TIM A="" D="4">',
    '<PTN A="" B="" D=""/>',
    `<DLV A="${ddi(DDI_ACTUAL_WORKING_WIDTH)}" B="" C="${deviceElementId}"/>`,
    `<DLV A="${ddi(DDI_ACTUAL_WORK_STATE)}" B="" C="${deviceElementId}"/>`,
    '</TIM>',
  ].join('\n');
  return { header, binary, records: pts.length };
}
