import { useShallow } from 'zustand/react/shallow';
import { useStationStore } from '../store/store.js';
import { FleetRow } from './FleetRow.js';
import { fleetCounts, fleetCountsText } from './fleet-counts.js';

/**
 * The whole fleet at a glance, under the map: one compact row per machine in as many columns
 * as the width allows (20 machines fit at 1366 × 768 without scrolling, beside a stop and
 * alerts). The selected machine's full card is in the side panel. During a section drag the
 * list scrolls by itself near its edges (`data-drag-scroll`, renderer/drag/edge-scroll.ts).
 */
export function FleetList() {
  const ids = useStationStore(useShallow((s) => s.snapshot?.tractors.map((t) => t.id) ?? []));
  const counts = useStationStore(useShallow((s) => fleetCounts(s.snapshot?.tractors ?? [])));
  if (ids.length === 0) return null;
  return (
    <section className="fleet-list" aria-label="Fleet">
      <h2 className="fleet-list__title">
        Fleet · {ids.length} machine{ids.length === 1 ? '' : 's'}
        <span className="fleet-list__counts">{fleetCountsText(counts)}</span>
      </h2>
      <ul className="fleet-list__rows" data-drag-scroll="">
        {ids.map((id) => (
          <FleetRow key={id} tractorId={id} />
        ))}
      </ul>
    </section>
  );
}
