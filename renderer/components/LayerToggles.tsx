import type { LayerVisibility } from '../store/map-view-slice.js';
import { useStationStore } from '../store/store.js';
import { SettingsMenu } from './SettingsMenu.js';

const LABELS: Record<keyof LayerVisibility, string> = {
  basemap: 'Basemap',
  labels: 'Section labels',
  worked: 'Worked ground',
  zones: 'Keep-out zones',
};

export function LayerToggles() {
  const layers = useStationStore((s) => s.layers);
  const toggle = useStationStore((s) => s.toggleLayer);
  return (
    <details className="layer-toggles">
      <summary>View</summary>
      {(Object.keys(LABELS) as (keyof LayerVisibility)[]).map((layer) => (
        <label key={layer}>
          <input type="checkbox" checked={layers[layer]} onChange={() => toggle(layer)} />
          {LABELS[layer]}
        </label>
      ))}
      <SettingsMenu />
    </details>
  );
}
