import { useEffect } from 'react';
import type { JobState } from '../../shared/index.js';
import { stopFleet } from '../bridge/station-bridge.js';
import { useStationStore } from '../store/store.js';
import { isFleetStopShortcut } from './estop-shortcut.js';
import { ReleaseControl } from './ReleaseControl.js';
import { ReplayPanel } from './ReplayPanel.js';
import { StopStatusList } from './StopStatusList.js';

/** What the fleet is doing while no stop is active, said as the job stands (never "running" over a finished job). */
const IDLE_TEXT: Record<JobState, string> = {
  planned: 'Job not started',
  running: 'Fleet running',
  paused: 'Job paused',
  stopped: 'Fleet stopped',
  finished: 'Job finished',
};

/**
 * Always on screen, never covered: one click (or Shift+Esc) stops the whole fleet with no
 * dialog in between. Below it, each machine's confirmation and the two-step release. It is
 * shown armed only while this page reaches the station: otherwise it says plainly that this
 * page cannot stop the fleet (the connection reopens by itself).
 */
export function EStopPanel() {
  const stopCount = useStationStore((s) => s.snapshot?.stops.length ?? 0);
  const jobState = useStationStore((s) => s.snapshot?.job.state ?? 'planned');
  const replay = useStationStore((s) => s.snapshot?.replay ?? null);
  const connected = useStationStore((s) => s.connection === 'open');
  const isReplay = replay !== null;

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (!isReplay && connected && isFleetStopShortcut(event)) {
        event.preventDefault();
        void stopFleet();
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [isReplay, connected]);

  // A recording controls no machine: the player takes the stop button's place.
  if (replay) return <ReplayPanel replay={replay} />;
  if (!connected)
    return (
      <section className="estop-panel estop-panel--unarmed" aria-label="Emergency stop">
        <p className="stop-all stop-all--unarmed" role="alert" data-testid="stop-unarmed">
          This page cannot stop the fleet
        </p>
        <p className="stop-all__hint">
          No connection to the station — reconnecting. Use another station page or the machines' own
          stops.
        </p>
      </section>
    );
  return (
    <section
      className={`estop-panel${stopCount > 0 ? ' estop-panel--active' : ''}`}
      aria-label="Emergency stop"
    >
      <button
        type="button"
        className="stop-all"
        aria-keyshortcuts="Shift+Escape"
        onClick={() => void stopFleet()}
      >
        Stop all
      </button>
      <p className="stop-all__hint">
        or press <kbd>Shift</kbd> + <kbd>Esc</kbd>
      </p>
      {stopCount > 0 ? (
        <StopStatusList />
      ) : (
        <p className="estop-panel__idle" data-testid="estop-idle">
          {IDLE_TEXT[jobState]} — no stop active
        </p>
      )}
      {stopCount > 0 ? <ReleaseControl /> : null}
    </section>
  );
}
