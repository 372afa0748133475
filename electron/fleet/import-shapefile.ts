import { at } from './at.js';
import { read } from 'shapefile';
import type { LonLat } from './types.js';
import { geometryParts, nameFromProperties } from './import-geojson.js';
import { ringContainsRing } from './ring-contains.js';
import { partsToFields, ReaderError, type RawField } from './raw-field.js';
import type { ZipArchive } from './zip-archive.js';

/** ESRI .prj text for a projected system starts with PROJCS (OGC WKT 1, OGC 01-009 §7.2). */
function isProjected(prj: string): boolean {
  return /^\s*PROJCS\[/i.test(prj);
}

/**
 * Reads every .shp in a zip with its .dbf (ESRI Shapefile Technical Description, 1998). Polygon
 * parts come back as GeoJSON rings; the .prj, when present, must be geographic (WGS84 degrees).
 */
export async function readZippedShapefile(zip: ZipArchive): Promise<RawField[]> {
  const shpFiles = zip.entries.filter(
    (f) => !f.name.endsWith('/') && /\.shp$/i.test(f.name) && !f.name.startsWith('__MACOSX'),
  );
  if (shpFiles.length === 0) throw new ReaderError('no-fields', 'the zip holds no .shp file');
  const fields: RawField[] = [];
  for (const shp of shpFiles) {
    const base = shp.name.replace(/\.shp$/i, '');
    const sibling = (ext: string) =>
      zip.find((name) => name.toLowerCase() === `${base}.${ext}`.toLowerCase());
    const prj = sibling('prj');
    if (prj && isProjected(new TextDecoder('latin1').decode(zip.read(prj))))
      throw new ReaderError(
        'unsupported-geometry',
        `${shp.name}: the .prj declares a projected system; export the shapefile in WGS84 (EPSG:4326)`,
      );
    const dbf = sibling('dbf');
    const shpBytes = zip.read(shp);
    const dbfBytes = dbf ? zip.read(dbf) : undefined;
    let collection;
    try {
      collection = await read(shpBytes, dbfBytes);
    } catch (e) {
      throw new ReaderError('parse-error', `${shp.name}: ${(e as Error).message}`);
    }
    const label = base.split('/').pop() ?? base;
    collection.features.forEach((f, i) => {
      // Points and lines beside the polygons (an export's refill stops) are not fields: skipped,
      // as in a GeoJSON collection. A zip of nothing else holds no field. A null shape (ESRI type
      // 0) reads as a null geometry, whatever the typings say.
      const type = (f.geometry as { type: string } | null)?.type;
      if (type !== 'Polygon' && type !== 'MultiPolygon') return;
      const name = nameFromProperties(f.properties, `${label} ${i + 1}`);
      fields.push(
        ...partsToFields(
          name,
          nestWindingErrors(geometryParts(f.geometry, `${shp.name} record ${i + 1}`)),
        ),
      );
    });
  }
  return fields;
}

/**
 * Writers that ignore the clockwise-outer rule produce holes as extra parts; a part lying inside
 * another part of the same record is such a hole, so it is moved back into its container.
 */
function nestWindingErrors(parts: LonLat[][][]): LonLat[][][] {
  if (parts.length < 2) return parts;
  const kept: LonLat[][][] = [];
  const holes: LonLat[][] = [];
  parts.forEach((p, i) => {
    const container = parts.find((q, k) => k !== i && ringContainsRing(at(q, 0), at(p, 0)));
    if (container && p.length === 1) holes.push(at(p, 0));
    else kept.push(p);
  });
  for (const h of holes) kept.find((q) => ringContainsRing(at(q, 0), h))?.push(h);
  return kept;
}
