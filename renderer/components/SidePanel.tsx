import { useState } from 'react';
import { EventLog } from './EventLog.js';
import { FleetPanel } from './FleetPanel.js';

/** Fleet cards or the event log, below the (always visible) e-stop and alerts. */
export function SidePanel() {
  const [tab, setTab] = useState<'fleet' | 'events'>('fleet');
  return (
    <div className="side-panel">
      <div className="tabs" role="tablist" aria-label="Side panel">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'fleet'}
          onClick={() => setTab('fleet')}
        >
          Fleet
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'events'}
          onClick={() => setTab('events')}
        >
          Events
        </button>
      </div>
      <div className="side-panel__body" role="tabpanel">
        {tab === 'fleet' ? <FleetPanel /> : <EventLog />}
      </div>
    </div>
  );
}
