import { useState } from 'react';
import { EventLog } from './EventLog.js';
import { FleetPanel } from './FleetPanel.js';
import { JobList } from './JobList.js';
import { ZoneList } from './ZoneList.js';

type Tab = 'fleet' | 'zones' | 'jobs' | 'events';

const TABS: { id: Tab; label: string }[] = [
  { id: 'fleet', label: 'Fleet' },
  { id: 'zones', label: 'Zones' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'events', label: 'Events' },
];

/** Fleet cards, keep-out zones, the job history or the event log, below the (always visible) e-stop and alerts. */
export function SidePanel() {
  const [tab, setTab] = useState<Tab>('fleet');
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
