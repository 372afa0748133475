import { useStationStore } from '../store/store.js';
import { TractorCard } from './TractorCard.js';

/** The side panel's Fleet tab: the selected machine's full card, or how to open one. */
export function FleetPanel() {
  const tractor = useStationStore(
    (s) => s.snapshot?.tractors.find((t) => t.id === s.focusedTractorId) ?? null,
  );
  return (
    <section className="fleet-panel" aria-label="Selected machine">
      {tractor ? (
        <TractorCard tractor={tractor} />
      ) : (
        <p className="fleet-panel__hint">
          Select a machine in the fleet list under the map to see its card: mode, ETA, link and
          sections.
        </p>
      )}
    </section>
  );
}
