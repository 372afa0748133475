import { useStationStore } from '../store/store.js';
import type { SideTab } from '../store/selection-slice.js';
import { EventLog } from './EventLog.js';
import { FleetPanel } from './FleetPanel.js';
import { JobList } from './JobList.js';
import { ZoneList } from './ZoneList.js';

const TABS: { id: SideTab; label: string }[] = [
  { id: 'fleet', label: 'Fleet' },
  { id: 'zones', label: 'Zones' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'events', label: 'Events' },
];

/**
 * The selected machine's card, keep-out zones, the job history or the event log, below the
 * (always visible) e-stop panel and alerts.
 */
export function SidePanel() {
  const tab = useStationStore((s) => s.sideTab);
  const setTab = useStationStore((s) => s.setSideTab);
  return (
    <div className="side-panel">
      <div className="tabs" role="tablist" aria-label="Side panel">
        {TABS.map(({ id, label }) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`side-tab-${id}`}
            aria-selected={tab === id}
            aria-controls="side-panel-body"
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div
        className="side-panel__body"
        role="tabpanel"
        id="side-panel-body"
        aria-labelledby={`side-tab-${tab}`}
      >
        {tab === 'fleet' ? (
          <FleetPanel />
        ) : tab === 'zones' ? (
          <ZoneList />
        ) : tab === 'jobs' ? (
          <JobList />
        ) : (
          <EventLog />
        )}
      </div>
    </div>
  );
}
