import { useState } from 'react';
import { sendCommand } from '../bridge/station-bridge.js';
import { gateProps, useMayCommand } from './role-gate.js';
import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';

/**
 * Two-step release: choose the machines, then confirm. Released machines go to PAUSED; the
 * operator starts them again deliberately.
 */
export function ReleaseControl() {
  const [choosing, setChoosing] = useState(false);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const tractors = useStationStore((s) => s.snapshot?.tractors ?? EMPTY_LIST);
  const mayRelease = useMayCommand('release');
  const held = tractors.filter((t) => t.stop.status !== 'none');

  const begin = (): void => {
    setChosen(new Set(held.filter((t) => t.stop.status !== 'sent').map((t) => t.id)));
    setChoosing(true);
  };
  const toggle = (id: string): void => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };
  const confirm = async (): Promise<void> => {
    // One release for every chosen machine, from every stop that holds it: all or nothing.
    await sendCommand({ type: 'release', tractorIds: [...chosen] });
    setChoosing(false);
  };

  if (!choosing) {
    return (
      <button type="button" className="release-button" onClick={begin} {...gateProps(mayRelease)}>
        Release…
      </button>
    );
  }
  return (
    <div className="release" role="group" aria-label="Release stopped tractors">
      <p className="release__hint">Released tractors go to PAUSED and do not move until started.</p>
      <ul className="release__list">
        {held.map((t) => (
          <li key={t.id}>
            <label>
              <input
                type="checkbox"
                checked={chosen.has(t.id)}
                disabled={t.stop.status === 'sent'}
                onChange={() => toggle(t.id)}
              />
              {t.name}
            </label>
          </li>
        ))}
      </ul>
      <div className="release__actions">
        <button
          type="button"
          className="release__confirm"
          disabled={chosen.size === 0}
          onClick={() => void confirm()}
        >
          Confirm release ({chosen.size})
        </button>
        <button type="button" onClick={() => setChoosing(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
