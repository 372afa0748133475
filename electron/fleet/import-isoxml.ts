import { at } from './at.js';
import {
  ISOXMLManager,
  LineStringLineStringTypeEnum,
  PolygonPolygonTypeEnum,
  type LineString,
  type Partfield,
  type Polygon,
} from 'isoxml';
import { ringContainsRing } from './ring-contains.js';
import { ReaderError, type RawField } from './raw-field.js';
import type { LonLat } from './types.js';

/**
 * ISO 11783-10 PLN types that are not worked: water surface, building, road, obstacle. They
 * become holes when they lie inside a partfield boundary.
 */
const NOT_WORKED: readonly string[] = [
  PolygonPolygonTypeEnum.WaterSurface,
  PolygonPolygonTypeEnum.Building,
  PolygonPolygonTypeEnum.Road,
  PolygonPolygonTypeEnum.Obstacle,
];

function ringOf(ls: LineString): LonLat[] {
  const pts: LonLat[] = (ls.attributes.Point ?? []).map((p) => [
    p.attributes.PointEast,
    p.attributes.PointNorth,
  ]);
  // ISOXML LSG polygons are often written without repeating the first point: close them here.
  const first = pts[0];
  const last = pts[pts.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1]))
    pts.push([first[0], first[1]]);
  return pts;
}

function partsOf(pfd: Partfield): LonLat[][][] {
  const polygons: Polygon[] = pfd.attributes.PolygonnonTreatmentZoneonly ?? [];
  const parts: LonLat[][][] = [];
  const obstacles: LonLat[][] = [];
  for (const pln of polygons) {
    const strings = pln.attributes.LineString ?? [];
    const exteriors = strings
      .filter((s) => s.attributes.LineStringType === LineStringLineStringTypeEnum.PolygonExterior)
      .map(ringOf);
    const interiors = strings
      .filter((s) => s.attributes.LineStringType === LineStringLineStringTypeEnum.PolygonInterior)
      .map(ringOf);
    if (pln.attributes.PolygonType === PolygonPolygonTypeEnum.PartfieldBoundary) {
      if (exteriors.length === 1) parts.push([at(exteriors, 0), ...interiors]);
      // Version 3 files put several exteriors in one PLN: holes then go with the exterior holding them.
      else
        for (const ext of exteriors)
          parts.push([ext, ...interiors.filter((r) => ringContainsRing(ext, r))]);
    } else if (NOT_WORKED.includes(pln.attributes.PolygonType)) {
      obstacles.push(...exteriors);
    }
  }
  for (const ob of obstacles) parts.find((p) => ringContainsRing(at(p, 0), ob))?.push(ob);
  return parts;
}

/** Reads the partfields (PFD) of an ISOXML TASKDATA, zipped or as TASKDATA.XML text. */
export async function readIsoxml(
  data: Uint8Array | string,
  kind: 'zip' | 'xml',
): Promise<RawField[]> {
  const manager = new ISOXMLManager();
  try {
    if (kind === 'zip' && typeof data !== 'string')
      await manager.parseISOXMLFile(data, 'application/zip');
    else
      await manager.parseISOXMLFile(
        typeof data === 'string' ? data : new TextDecoder().decode(data),
        'text/xml',
      );
  } catch (e) {
    throw new ReaderError('parse-error', `not a readable ISOXML TASKDATA: ${(e as Error).message}`);
  }
  const partfields = manager.rootElement.attributes.Partfield ?? [];
  const fields: RawField[] = [];
  partfields.forEach((pfd, i) => {
    const name = pfd.attributes.PartfieldDesignator || `Partfield ${i + 1}`;
    const parts = partsOf(pfd);
    parts.forEach((rings, k) =>
      fields.push({ name: parts.length > 1 && k > 0 ? `${name} (${k + 1})` : name, rings }),
    );
  });
  return fields;
}
