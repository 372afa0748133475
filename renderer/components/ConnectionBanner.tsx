import { useStationStore } from '../store/store.js';

export function ConnectionBanner() {
  const connection = useStationStore((s) => s.connection);
  if (connection === 'open') return null;
  return (
    <div className="connection-banner" role="alert">
      {connection === 'connecting'
        ? 'Connecting to the station…'
        : 'Station connection lost — reconnecting…'}
    </div>
  );
}
