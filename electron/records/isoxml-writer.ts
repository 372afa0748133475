/**
 * ISO 11783-10 TASKDATA (version 4.3) of a job: the partfield (PFD) with its boundary polygon
 * (PLN type 1; LSG 1 outer ring, LSG 2 for each hole), one device (DVC) per tractor (designator:
 * the name the operator screen shows; serial number: the machine's id), and the task
 * (TSK) on that partfield with its effective time, each tractor's total worked area (DLV DDI
 * 0x0074, unique m²) and each tractor's time log (TLG, see timelog-writer.ts) as the as-applied
 * record. Time logs rather than treatment-zone polygons: they are what a task controller writes
 * and what farm management software imports as-applied data from. Each refill stop is in its
 * machine's time log (work state 0 at the point, see timelog-writer.ts) and in the task as an
 * ineffective time (TIM type 5) from arrival to departure, with the point (PTN) and the machine's
 * work state 0 (DLV DDI 0x008D on its device element).
 */
import type { LonLat } from '../fleet/index.js';
import type { JobFigures } from './job-figures.js';
import { tractorName, type JobData } from './job-reader.js';
import type { RefillStop } from './refill-stops.js';
import { DDI_ACTUAL_WORK_STATE, DDI_ACTUAL_WORKING_WIDTH, writeTimeLog } from './timelog-writer.js';

const DDI_TOTAL_AREA = 0x0074; // ISO 11783-11 DDI 116, m²
/** ISO 11783-10 PNT/LSG coordinates: decimal degrees, 9 decimals at most (0.1 mm). */
const COORD_DECIMALS = 9;
const TASK_STATUS: Readonly<Record<string, string>> = {
  planned: '1',
  running: '2',
  paused: '3',
  stopped: '3',
  finished: '4',
};
/** PolygonType 1 partfield boundary; LineStringType 1 exterior, 2 interior; PointType 2 other. */
const PLN_BOUNDARY = '1';
const LSG_EXTERIOR = '1';
const LSG_INTERIOR = '2';
const PNT_OTHER = '2';
/** TIM types 4 effective and 5 ineffective (ISO 11783-10 TIM D). */
const TIME_EFFECTIVE = '4';
const TIME_INEFFECTIVE = '5';
/** PTN D: PositionStatus 1, GNSS fix (ISO 11783-10). */
const PTN_GNSS = '1';
/** DPD object ids within each device description. */
const DPD_WIDTH = 1;
const DPD_STATE = 2;
const DPD_AREA = 3;
/** ISO 11783-10 DVC B (designator), E (serial number) and DET D (designator): 32 characters at most. */
const DESIGNATOR_CHARS = 32;

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const ddi = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

function lineString(ring: readonly LonLat[], type: string): string {
  // LSG polygons do not repeat the first point (the importer closes them).
  const first = ring[0];
  const last = ring[ring.length - 1];
  const open =
    first && last && ring.length > 1 && first[0] === last[0] && first[1] === last[1]
      ? ring.slice(0, -1)
      : ring;
  const pts = open
    .map(
      (p) =>
        `<PNT A="${PNT_OTHER}" C="${p[1].toFixed(COORD_DECIMALS)}" D="${p[0].toFixed(COORD_DECIMALS)}"/>`,
    )
    .join('');
  return `<LSG A="${type}">${pts}</LSG>`;
}

/** `s` cut to the attribute's length, whole characters (code points) kept. */
function designator(s: string): string {
  return escapeXml(Array.from(s).slice(0, DESIGNATOR_CHARS).join(''));
}

function device(tractorId: string, name: string, index: number): string {
  const n = index + 1;
  // ISO 11783-5 NAME: self-configurable, industry group 2 (agriculture), identity number = n.
  const clientName = `A0000000${n.toString(16).toUpperCase().padStart(8, '0')}`;
  const label = n.toString(16).toUpperCase().padStart(14, '0');
  const dpd = (id: number, code: number, trigger: number, what: string): string =>
    `<DPD A="${id}" B="${ddi(code)}" C="1" D="${trigger}" E="${what}"/>`;
  return [
    `<DVC A="DVC${n}" B="${designator(name)}" C="headland" D="${clientName}" E="${designator(tractorId)}" F="${label}" G="656E00000000FF">`,
    `<DET A="DET${n}" B="1" C="1" D="${designator(name)}" E="0" F="0">`,
    `<DOR A="${DPD_WIDTH}"/><DOR A="${DPD_STATE}"/><DOR A="${DPD_AREA}"/></DET>`,
    // Trigger methods: 8 on change, 16 total (ISO 11783-10 DPD D).
    dpd(DPD_WIDTH, DDI_ACTUAL_WORKING_WIDTH, 8, 'Actual working width'),
    dpd(DPD_STATE, DDI_ACTUAL_WORK_STATE, 8, 'Actual work state'),
    dpd(DPD_AREA, DDI_TOTAL_AREA, 16, 'Total area'),
    '</DVC>',
  ].join('');
}

/** The TASKDATA files: `TASKDATA.XML` and one `TLGnnnnn.XML`/`.BIN` pair per tractor. */
export function writeTaskData(
  job: JobData,
  figures: JobFigures,
  softwareVersion: string,
): Map<string, string | Uint8Array> {
  const files = new Map<string, string | Uint8Array>();
  // A machine that only refilled (no work logged) still has a device and a time log.
  const tractorIds = [
    ...new Set([...Object.keys(job.coverage), ...job.refillStops.map((s) => s.tractorId)]),
  ].sort();
  const stopsOf = (id: string): RefillStop[] => job.refillStops.filter((s) => s.tractorId === id);
  const [outer, ...holes] = job.field;
  const fieldM2 = Math.round(figures.fieldAreaM2);
  const boundary = [
    `<PLN A="${PLN_BOUNDARY}" B="${escapeXml(job.fieldName)}" C="${fieldM2}">`,
    lineString(outer ?? [], LSG_EXTERIOR),
    ...holes.map((h) => lineString(h, LSG_INTERIOR)),
    '</PLN>',
  ].join('');
  let startMs = Infinity;
  let stopMs = -Infinity;
  const logs: string[] = [];
  const totals: string[] = [];
  tractorIds.forEach((tractorId, i) => {
    const segments = job.coverage[tractorId] ?? [];
    for (const s of segments) {
      startMs = Math.min(startMs, s.tMs);
      stopMs = Math.max(stopMs, s.tMs + s.durationMs);
    }
    const name = `TLG${String(i + 1).padStart(5, '0')}`;
    const log = writeTimeLog(
      figures.runs[tractorId] ?? [],
      figures.frame,
      `DET${i + 1}`,
      stopsOf(tractorId),
    );
    files.set(`${name}.XML`, log.header);
    files.set(`${name}.BIN`, log.binary);
    logs.push(`<TLG A="${name}" B="${log.binary.length}" C="1"/>`);
    const unique = Math.round(figures.tractors[tractorId]?.uniqueM2 ?? 0);
    totals.push(`<DLV A="${ddi(DDI_TOTAL_AREA)}" B="${unique}" C="DET${i + 1}"/>`);
  });
  if (!Number.isFinite(startMs)) startMs = stopMs = job.createdAtMs;
  const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '');
  const refills = job.refillStops.map((stop) => {
    const det = `DET${tractorIds.indexOf(stop.tractorId) + 1}`;
    const [lon, lat] = stop.position;
    // Duration C in whole seconds (ISO 11783-10 TIM C), the span of the whole-second A and B.
    const seconds = Math.floor(stop.leftAtWallMs / 1000) - Math.floor(stop.arrivedAtWallMs / 1000);
    return [
      `<TIM A="${iso(stop.arrivedAtWallMs)}" B="${iso(stop.leftAtWallMs)}" C="${seconds}" D="${TIME_INEFFECTIVE}">`,
      `<PTN A="${lat.toFixed(COORD_DECIMALS)}" B="${lon.toFixed(COORD_DECIMALS)}" D="${PTN_GNSS}"/>`,
      `<DLV A="${ddi(DDI_ACTUAL_WORK_STATE)}" B="0" C="${det}"/>`,
      '</TIM>',
    ].join('');
  });
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<ISO11783_TaskData VersionMajor="4" VersionMinor="3" ManagementSoftwareManufacturer="Headland" ManagementSoftwareVersion="${escapeXml(softwareVersion)}" DataTransferOrigin="1">`,
    `<PFD A="PFD1" B="${escapeXml(job.jobId)}" C="${escapeXml(job.fieldName)}" D="${fieldM2}">${boundary}</PFD>`,
    ...tractorIds.map((id, i) => device(id, tractorName(job, id), i)),
    `<TSK A="TSK1" B="${escapeXml(job.name)}" E="PFD1" G="${TASK_STATUS[job.state] ?? '1'}">`,
    `<TIM A="${iso(startMs)}" B="${iso(stopMs)}" D="${TIME_EFFECTIVE}">${totals.join('')}</TIM>`,
    ...refills,
    ...logs,
    '</TSK>',
    '</ISO11783_TaskData>',
  ].join('\n');
  files.set('TASKDATA.XML', xml);
  return files;
}
