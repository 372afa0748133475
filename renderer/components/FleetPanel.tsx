import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';
import { TractorCard } from './TractorCard.js';

export function FleetPanel() {
  const tractors = useStationStore((s) => s.snapshot?.tractors ?? EMPTY_LIST);
  return (
    <section className="fleet-panel" aria-label="Fleet">
      <h2 className="fleet-panel__title">Fleet · {tractors.length} tractors</h2>
      <ul className="fleet-panel__list">
        {tractors.map((tractor, index) => (
          <TractorCard key={tractor.id} tractor={tractor} index={index} />
        ))}
      </ul>
    </section>
  );
}
