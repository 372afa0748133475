import {
  ExtendedPartfield,
  ExtendedPolygon,
  ISOXMLManager,
  PolygonPolygonTypeEnum,
  TAGS,
} from 'isoxml';
import type { LonLat } from '../types.js';

/** Writes a zipped ISOXML TASKDATA with one PFD per field; `obstacles` become separate obstacle PLNs. */
export async function isoxmlTaskData(
  fields: { name: string; rings: LonLat[][]; obstacles?: LonLat[][] }[],
): Promise<Uint8Array> {
  const manager = new ISOXMLManager();
  const pfds = fields.map((f) => {
    const pfd = manager.createEntityFromAttributes<ExtendedPartfield>(TAGS.Partfield, {
      PartfieldDesignator: f.name,
      PartfieldArea: 0,
    });
    pfd.boundaryFromGeoJSON({ type: 'Polygon', coordinates: f.rings }, manager);
    for (const ob of f.obstacles ?? [])
      pfd.attributes.PolygonnonTreatmentZoneonly!.push(
        ...ExtendedPolygon.fromGeoJSON(
          { type: 'Polygon', coordinates: [ob] },
          PolygonPolygonTypeEnum.Obstacle,
          manager,
        ),
      );
    manager.registerEntity(pfd);
    return pfd;
  });
  manager.rootElement.attributes.Partfield = pfds;
  return manager.saveISOXML();
}
