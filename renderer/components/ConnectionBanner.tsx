import { useStationStore } from '../store/store.js';

/** Whether this page reaches the station now, and what it may do there. */
export function ConnectionBanner() {
  const connection = useStationStore((s) => s.connection);
  const note = useStationStore((s) => s.session?.note ?? null);
  if (connection !== 'open')
    return (
      <div className="connection-banner" role="alert">
        {connection === 'connecting'
          ? 'Connecting to the station…'
          : 'Station connection lost — this page cannot stop the fleet. Reconnecting…'}
      </div>
    );
  if (note === null) return null;
  return (
    <div className="connection-banner connection-banner--note" role="status">
      The station: {note}.
    </div>
  );
}
