import { useEffect } from 'react';
import { useStationStore } from '../store/store.js';
import { AlertStrip } from './AlertStrip.js';
import { AttentionBanner } from './AttentionBanner.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { DragGhost } from './DragGhost.js';
import { EStopPanel } from './EStopPanel.js';
import { FieldMap } from './FieldMap.js';
import { FleetList } from './FleetList.js';
import { GroupConfirm } from './GroupConfirm.js';
import { JobHeader } from './JobHeader.js';
import { ModeChangeBanner } from './ModeChangeBanner.js';
import { SidePanel } from './SidePanel.js';

/**
 * Layout: job header on top, the map, the whole fleet in rows under it; on the right the
 * e-stop panel, the alerts, then the selected machine's card, zones, jobs and events.
 */
export function App() {
  const theme = useStationStore((s) => s.theme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <div className="app">
      <ConnectionBanner />
      <main className="app__main">
        <JobHeader />
        <AttentionBanner />
        <ModeChangeBanner />
        <FieldMap />
        <FleetList />
      </main>
      <aside className="app__side">
        <EStopPanel />
        <AlertStrip />
        <SidePanel />
      </aside>
      <GroupConfirm />
      <DragGhost />
    </div>
  );
}
