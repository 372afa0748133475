import { useStationStore } from '../store/store.js';

export function ConnectionBanner() {
  const connection = useStationStore((s) => s.connection);
  const refusal = useStationStore((s) => s.refusal);
  if (refusal !== null)
    return (
      <div className="connection-banner" role="alert">
        The station refused this page ({refusal}). Open the link headland serve printed.
      </div>
    );
  if (connection === 'open') return null;
  return (
    <div className="connection-banner" role="alert">
      {connection === 'connecting'
        ? 'Connecting to the station…'
        : 'Station connection lost — reconnecting…'}
    </div>
  );
}
