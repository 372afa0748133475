import { useBasemapLayer } from '../map/use-basemap-layer.js';
import { fitField, useFieldLayer } from '../map/use-field-layer.js';
import { useLabelLayout } from '../map/use-label-layout.js';
import { useLeafletMap } from '../map/use-leaflet-map.js';
import { useSectionLabels } from '../map/use-section-labels.js';
import { useSectionsLayer } from '../map/use-sections-layer.js';
import { useTractorLayer } from '../map/use-tractor-layer.js';
import { useZoneDraftLayer } from '../map/use-zone-draft-layer.js';
import { useZonesLayer } from '../map/use-zones-layer.js';
import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';
import { LayerToggles } from './LayerToggles.js';
import { ReassignBar } from './ReassignBar.js';
import { ZoneDrawTool } from './ZoneDrawTool.js';
import { ZoneHatch } from './ZoneHatch.js';

/** `readOnly` (the farm office's page) leaves out every control that would change the job. */
export function FieldMap({ readOnly = false }: { readOnly?: boolean }) {
  const [attachMap, map] = useLeafletMap();
  const field = useStationStore((s) => s.snapshot?.field);
  const sections = useStationStore((s) => s.snapshot?.sections ?? EMPTY_LIST);
  const tractors = useStationStore((s) => s.snapshot?.tractors ?? EMPTY_LIST);
  const focusedId = useStationStore((s) => s.focusedTractorId);
  const focusTractor = useStationStore((s) => s.focusTractor);
  const selected = useStationStore((s) => s.selectedSectionIds);
  const basemap = useStationStore((s) => s.snapshot?.station.basemap);
  const layers = useStationStore((s) => s.layers);
  const zones = useStationStore((s) => s.snapshot?.zones ?? EMPTY_LIST);
  const zoneDraft = useStationStore((s) => s.zoneDraft);
  const pendingMove = useStationStore((s) => s.pendingMove);
  const rolledBack = useStationStore((s) => s.rolledBack);

  useBasemapLayer(map, basemap, layers.basemap);
  useFieldLayer(map, field);
  useSectionsLayer(map, sections, selected, layers.worked, pendingMove, rolledBack);
  useSectionLabels(map, layers.labels ? sections : EMPTY_LIST, selected, rolledBack);
  useZonesLayer(map, layers.zones ? zones : EMPTY_LIST);
  useZoneDraftLayer(map, zoneDraft);
  useTractorLayer(map, tractors, focusedId, focusTractor);
  // Last: it lays out the labels the layers above drew.
  useLabelLayout(map);

  return (
    <section className="field-map" aria-label="Field map">
      <ZoneHatch />
      <div ref={attachMap} className="field-map__canvas" data-testid="field-map" />
      {readOnly ? null : <ZoneDrawTool map={map} />}
      {readOnly ? null : <ReassignBar />}
      <div className="map-controls">
        <button type="button" onClick={() => fitField(map, field)}>
          Fit field
        </button>
        <LayerToggles />
      </div>
      {/* Each machine's colour is beside its name in the fleet list under the map. */}
      <ul className="map-legend" aria-label="Legend">
        <li>
          <span className="map-legend__swatch map-legend__swatch--done" aria-hidden="true" />
          worked (darker = twice)
        </li>
        {layers.zones && zones.length > 0 ? (
          <li>
            <span className="map-legend__swatch map-legend__swatch--zone" aria-hidden="true" />
            keep-out zone
          </li>
        ) : null}
        <li>
          <span className="map-legend__implement" aria-hidden="true" />
          implement (to scale)
        </li>
      </ul>
    </section>
  );
}
