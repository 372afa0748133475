import { useEffect } from 'react';
import { sendCommand } from '../bridge/station-bridge.js';
import { useStationStore } from '../store/store.js';
import { isFleetStopShortcut } from './estop-shortcut.js';
import { ReleaseControl } from './ReleaseControl.js';
import { ReplayPanel } from './ReplayPanel.js';
import { StopStatusList } from './StopStatusList.js';

function stopFleet(): void {
  void sendCommand({ type: 'fleetStop' });
}

/**
 * Always on screen, never covered: one click (or Shift+Esc) stops the whole fleet with no
 * dialog in between (DESIGN.md, safety model). Below it, each tractor's confirmation and the
 * two-step release.
 */
export function EStopPanel() {
  const stopCount = useStationStore((s) => s.snapshot?.stops.length ?? 0);
  const replay = useStationStore((s) => s.snapshot?.replay ?? null);
  const isReplay = replay !== null;

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (!isReplay && isFleetStopShortcut(event)) {
        event.preventDefault();
        stopFleet();
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [isReplay]);

  // A recording controls no machine: the player takes the stop button's place.
  if (replay) return <ReplayPanel replay={replay} />;
  return (
    <section
      className={`estop-panel${stopCount > 0 ? ' estop-panel--active' : ''}`}
      aria-label="Emergency stop"
    >
      <button
        type="button"
        className="stop-all"
        aria-keyshortcuts="Shift+Escape"
        onClick={stopFleet}
      >
        Stop all
      </button>
      <p className="stop-all__hint">
        or press <kbd>Shift</kbd> + <kbd>Esc</kbd>
      </p>
      {stopCount > 0 ? (
        <StopStatusList />
      ) : (
        <p className="estop-panel__idle">Fleet running — no stop active</p>
      )}
      {stopCount > 0 ? <ReleaseControl /> : null}
    </section>
  );
}
