import { useEffect } from 'react';
import { useStationStore } from '../store/store.js';
import { OfficeJobList } from './OfficeJobList.js';
import { OfficeJobView } from './OfficeJobView.js';
import { SettingsMenu } from './SettingsMenu.js';

/** The farm office's page: every station's jobs, or one of them on the field map. */
export function OfficeApp() {
  const theme = useStationStore((s) => s.theme);
  const problem = useStationStore((s) => s.officeProblem);
  const opened = useStationStore((s) => s.officeOpenJob !== null);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <div className="office">
      <header className="office__head">
        <h1>Farm office</h1>
        {problem ? (
          <p className="office__problem" role="alert">
            {problem}
          </p>
        ) : null}
        <SettingsMenu />
      </header>
      <main className="office__main">{opened ? <OfficeJobView /> : <OfficeJobList />}</main>
    </div>
  );
}
