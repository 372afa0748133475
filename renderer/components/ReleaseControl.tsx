import { useState } from 'react';
import { sendCommand } from '../bridge/station-bridge.js';
import { gateProps, useMayCommand } from './role-gate.js';
import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';
import { ConfirmStep } from './ConfirmStep.js';

/**
 * Two-step release of several machines: "Release all" asks once more, "Choose…" lists the
 * stopped machines with none ticked. One command releases every chosen machine from every stop
 * that holds it, or none (the station names each it cannot release). Released machines go to
 * PAUSED; the operator starts each again deliberately. Each machine also has its own Release
 * in the stop list.
 */
export function ReleaseControl() {
  const [choosing, setChoosing] = useState(false);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const tractors = useStationStore((s) => s.snapshot?.tractors ?? EMPTY_LIST);
  const mayRelease = useMayCommand('release');
  const held = tractors.filter((t) => t.stop.status !== 'none');
  const releasable = held.filter((t) => t.stop.status !== 'sent').map((t) => t.id);

  const toggle = (id: string): void => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };
  const release = async (ids: readonly string[]): Promise<void> => {
    if (ids.length > 0) await sendCommand({ type: 'release', tractorIds: [...ids] });
  };

  if (!choosing) {
    return (
      <div className="release-actions">
        {mayRelease ? (
          <ConfirmStep
            label={`Release all (${releasable.length})`}
            confirmLabel={`Confirm release of ${releasable.length} to paused`}
            className="release-button"
            testId="release-all"
            disabled={releasable.length === 0}
            onConfirm={() => release(releasable)}
          />
        ) : null}
        <button
          type="button"
          className="release-button"
          onClick={() => {
            setChosen(new Set());
            setChoosing(true);
          }}
          {...gateProps(mayRelease)}
        >
          Choose…
        </button>
      </div>
    );
  }
  return (
    <div className="release" role="group" aria-label="Release stopped tractors">
      <p className="release__hint">Released machines go to PAUSED and do not move until started.</p>
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
              {t.stop.status === 'sent' ? ' (not yet confirmed)' : ''}
            </label>
          </li>
        ))}
      </ul>
      <div className="release__actions">
        <button
          type="button"
          className="release__confirm"
          disabled={chosen.size === 0}
          onClick={() => {
            setChoosing(false);
            void release([...chosen]);
          }}
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
