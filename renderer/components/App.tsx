import { ConnectionBanner } from './ConnectionBanner.js';
import { DragGhost } from './DragGhost.js';
import { EStopPanel } from './EStopPanel.js';
import { FieldMap } from './FieldMap.js';
import { FleetPanel } from './FleetPanel.js';
import { JobHeader } from './JobHeader.js';
import { Toasts } from './Toasts.js';

/** Layout: job header on top, map in the middle, fleet on the right, e-stop always top right. */
export function App() {
  return (
    <div className="app">
      <ConnectionBanner />
      <main className="app__main">
        <JobHeader />
        <FieldMap />
      </main>
      <aside className="app__side">
        <EStopPanel />
        <FleetPanel />
      </aside>
      <Toasts />
      <DragGhost />
    </div>
  );
}
