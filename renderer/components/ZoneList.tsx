import { removeZone } from '../bridge/safety-commands.js';
import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';
import { gateProps, useMayCommand } from './role-gate.js';

/**
 * The keep-out zones the station guards: the field's own obstacles (fixed) and the ones an
 * operator drew (removable), with the button that starts drawing a new one on the map.
 */
export function ZoneList() {
  const zones = useStationStore((s) => s.snapshot?.zones ?? EMPTY_LIST);
  const drawing = useStationStore((s) => s.zoneDraft !== null);
  const start = useStationStore((s) => s.startZoneDraft);
  const allowed = useMayCommand('addZone');
  return (
    <section className="zone-list" aria-label="Keep-out zones">
      <h2 className="zone-list__title">Keep-out zones · {zones.length}</h2>
      <button
        type="button"
        className="zone-list__add"
        disabled={drawing}
        onClick={start}
        {...gateProps(allowed)}
      >
        {drawing ? 'Drawing on the map…' : 'Add keep-out zone'}
      </button>
      {zones.length === 0 ? (
        <p className="zone-list__empty">
          No keep-out zones. Machines avoid every zone listed here.
        </p>
      ) : null}
      <ul className="zone-list__list">
        {zones.map((zone) => (
          <li key={zone.id} className="zone-list__item" data-testid={`zone-item-${zone.id}`}>
            <span className="zone-list__swatch" aria-hidden="true" />
            <span className="zone-list__text">
              <strong>{zone.name}</strong>
              <small>
                {zone.source === 'field' ? 'obstacle in the field file' : 'drawn by an operator'}
              </small>
            </span>
            {zone.source === 'operator' ? (
              <button
                type="button"
                aria-label={`Remove keep-out zone ${zone.name}`}
                onClick={() => void removeZone(zone.id)}
                {...gateProps(allowed)}
              >
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
