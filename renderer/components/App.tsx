import { useEffect } from 'react';
import { useStationStore } from '../store/store.js';
import { AlertStrip } from './AlertStrip.js';
import { AttentionBanner } from './AttentionBanner.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { DragGhost } from './DragGhost.js';
import { EStopPanel } from './EStopPanel.js';
import { FieldMap } from './FieldMap.js';
import { GroupConfirm } from './GroupConfirm.js';
import { JobHeader } from './JobHeader.js';
import { ModeChangeBanner } from './ModeChangeBanner.js';
import { SidePanel } from './SidePanel.js';
import { Toasts } from './Toasts.js';

/** Layout: job header on top, map in the middle, e-stop then alerts then fleet on the right. */
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
      </main>
      <aside className="app__side">
        <EStopPanel />
        <AlertStrip />
        <SidePanel />
      </aside>
      <GroupConfirm />
      <Toasts />
      <DragGhost />
    </div>
  );
}
