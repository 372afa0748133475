/**
 * The job as three feature layers, the common model of the GIS writers (GeoJSON, KML,
 * shapefile): `field` (the boundary with its holes), `sections` (each section with the unique
 * and overlap area worked in it) and `passes` (each pass's swept footprint with the tractor, the
 * section, the time and the area it added, unique and overlap apart). Areas are hectares, from
 * the station's own coverage count (job-figures.ts), never from the footprints. A machine is
 * given twice: `tractor` its id, `tractor_nm` the name the operator screen shows; a section by
 * its label on the map ('S12'). Beside them a point layer, `refills`: each stop a machine made at
 * the refill point (where, who, when it arrived and left; its work was off throughout).
 */
import { sectionLabel } from '../../shared/index.js';
import type { LonLat } from '../fleet/index.js';
import type { JobFigures } from './job-figures.js';
import { tractorName, type JobData } from './job-reader.js';
import { passRing } from './pass-geometry.js';

export type PropertyValue = string | number | null;

export interface LayerFeature {
  /** Outer ring first, then holes; closed; WGS84 [lon, lat]. */
  readonly rings: readonly (readonly LonLat[])[];
  readonly properties: Readonly<Record<string, PropertyValue>>;
}

/** A point feature, WGS84 [lon, lat]. */
export interface PointFeature {
  readonly at: LonLat;
  readonly properties: Readonly<Record<string, PropertyValue>>;
}

/** The polygon layers, in the order the writers put them. */
export type LayerName = 'field' | 'sections' | 'passes';
export const POLYGON_LAYERS = ['field', 'sections', 'passes'] as const satisfies LayerName[];

/** Attribute names and kinds per layer (names fit the 10-character dBASE limit). */
export const LAYER_ATTRIBUTES: Readonly<
  Record<LayerName | 'refills', readonly (readonly [string, 'text' | 'number'])[]>
> = {
  field: [
    ['job', 'text'],
    ['name', 'text'],
    ['area_ha', 'number'],
    ['unique_ha', 'number'],
    ['overlap_ha', 'number'],
  ],
  sections: [
    ['section', 'text'],
    ['tractor', 'text'],
    ['tractor_nm', 'text'],
    ['area_ha', 'number'],
    ['unique_ha', 'number'],
    ['overlap_ha', 'number'],
    ['passes', 'number'],
  ],
  passes: [
    ['pass', 'number'],
    ['tractor', 'text'],
    ['tractor_nm', 'text'],
    ['section', 'text'],
    ['start', 'text'],
    ['end', 'text'],
    ['width_m', 'number'],
    ['unique_ha', 'number'],
    ['overlap_ha', 'number'],
  ],
  refills: [
    ['stop', 'number'],
    ['tractor', 'text'],
    ['tractor_nm', 'text'],
    ['arrived', 'text'],
    ['left', 'text'],
    ['duration_s', 'number'],
  ],
};

export type ExportLayers = Readonly<Record<LayerName, readonly LayerFeature[]>> & {
  readonly refills: readonly PointFeature[];
};

const ha = (m2: number): number => m2 / 1e4;

function closed(ring: readonly LonLat[]): LonLat[] {
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (!first || !last || (first[0] === last[0] && first[1] === last[1])) return [...ring];
  return [...ring, first];
}

export function buildLayers(job: JobData, figures: JobFigures): ExportLayers {
  const field: LayerFeature = {
    rings: job.field.map(closed),
    properties: {
      job: job.jobId,
      name: job.fieldName,
      area_ha: ha(figures.fieldAreaM2),
      unique_ha: ha(figures.uniqueM2),
      overlap_ha: ha(figures.overlapM2),
    },
  };
  const sections = job.sections.map((s) => {
    const tally = figures.sections[s.id];
    return {
      rings: s.polygon.map(closed),
      properties: {
        section: sectionLabel(s.id),
        tractor: s.tractorId,
        tractor_nm: s.tractorId === null ? null : tractorName(job, s.tractorId),
        area_ha: ha(s.areaM2),
        unique_ha: ha(tally?.uniqueM2 ?? 0),
        overlap_ha: ha(tally?.overlapM2 ?? 0),
        passes: tally?.passes ?? 0,
      },
    };
  });
  const passes: LayerFeature[] = [];
  figures.passes.forEach((pass, i) => {
    const ring = passRing(pass.line, pass.widthM, figures.frame);
    if (!ring) return;
    passes.push({
      rings: [ring],
      properties: {
        pass: i + 1,
        tractor: pass.tractorId,
        tractor_nm: tractorName(job, pass.tractorId),
        section: pass.sectionId === null ? null : sectionLabel(pass.sectionId),
        start: new Date(pass.startMs).toISOString(),
        end: new Date(pass.endMs).toISOString(),
        width_m: pass.widthM,
        unique_ha: ha(pass.uniqueM2),
        overlap_ha: ha(pass.overlapM2),
      },
    });
  });
  const refills = job.refillStops.map((stop, i) => ({
    at: stop.position,
    properties: {
      stop: i + 1,
      tractor: stop.tractorId,
      tractor_nm: tractorName(job, stop.tractorId),
      arrived: new Date(stop.arrivedAtWallMs).toISOString(),
      left: new Date(stop.leftAtWallMs).toISOString(),
      duration_s: (stop.leftAtWallMs - stop.arrivedAtWallMs) / 1000,
    },
  }));
  return { field: [field], sections, passes, refills };
}
