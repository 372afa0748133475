/**
 * An independent reading of an exported TASKDATA's worked area: the isoxml package parses every
 * time log, and the ground between a record and the next, when the first says "working", is
 * folded at the logged width into a CoverageTracker over the partfield boundary — what a farm
 * management tool does to draw an as-applied map.
 */
import { ExtendedTimeLog, ISOXMLManager, LineStringLineStringTypeEnum } from 'isoxml';
import {
  CoverageTracker,
  frameForRing,
  type AreaTally,
  type CoverageSegment,
  type LonLat,
  type XY,
} from '../../fleet/index.js';

export async function timeLogArea(zipBytes: Uint8Array): Promise<AreaTally & { records: number }> {
  const manager = new ISOXMLManager();
  await manager.parseISOXMLFile(zipBytes, 'application/zip');
  const root = manager.rootElement.attributes;
  const strings =
    root.Partfield?.[0]?.attributes.PolygonnonTreatmentZoneonly?.[0]?.attributes.LineString ?? [];
  const rings: LonLat[][] = strings.map((s) =>
    (s.attributes.Point ?? []).map((p) => [p.attributes.PointEast, p.attributes.PointNorth]),
  );
  const outer = strings.findIndex(
    (s) => s.attributes.LineStringType === LineStringLineStringTypeEnum.PolygonExterior,
  );
  const frame = frameForRing(rings[outer] ?? []);
  const field = rings.map((ring) => ring.map((p) => frame.toLocal(p)));
  const tracker = new CoverageTracker({ field });
  const segments: CoverageSegment[] = [];
  let records = 0;
  for (const log of root.Task?.[0]?.attributes.TimeLog ?? []) {
    if (!(log instanceof ExtendedTimeLog)) throw new Error('isoxml did not read the time log');
    const info = log.parseBinaryFile();
    if (log.parsingErrors.length > 0) throw new Error(log.parsingErrors.join('; '));
    const key = (ddi: string): string =>
      info.valuesInfo.find((v) => v.valueKey.startsWith(ddi))?.valueKey ?? '';
    const [widthKey, stateKey] = [key('0043'), key('008D')];
    const at = (i: number): XY | null => {
      const p = info.timeLogs[i]?.position;
      return p ? frame.toLocal([p.PositionEast, p.PositionNorth]) : null;
    };
    records += info.timeLogs.length;
    info.timeLogs.forEach((rec, i) => {
      const a = at(i);
      const b = at(i + 1);
      if (rec.values[stateKey] !== 1 || !a || !b) return;
      const widthM = (rec.values[widthKey] ?? 0) / 1000;
      segments.push({
        tractorId: log.attributes.Filename,
        start: a,
        end: b,
        widthM,
        tMs: rec.time.getTime(),
      });
    });
  }
  segments.sort((p, q) => p.tMs - q.tMs);
  tracker.addAll(segments);
  return { ...tracker.totals, records };
}
