/**
 * The office page's one link to the farm office (office mode): it polls the overview, and the
 * opened job's view, every 2 s with the page's viewer token and writes what it reads into the
 * store. Polling rather than a Hocuspocus subscription: the page then needs neither Yjs nor the
 * job document's reader (which is the core's, electron/sync), the office builds the map's
 * snapshot with the station's own validated reader, and a farm overview changes on the scale of
 * seconds. The office keeps what a page reads open on its node, so each read is live.
 */
import {
  OFFICE_JOBS_PATH,
  officeJobPath,
  officeJobsResponseSchema,
  stationSnapshotSchema,
} from '../../shared/index.js';
import { useStationStore } from '../store/store.js';
import { pageCredentials } from './page-token.js';

export const OFFICE_POLL_MS = 2_000;

async function read(path: string, token: string | null): Promise<unknown> {
  const answer = await fetch(path, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    cache: 'no-store',
  });
  if (answer.status === 401)
    throw new Error('the office did not accept this page: open it with ?token=VIEWER-TOKEN');
  if (!answer.ok) throw new Error(`the office answered ${answer.status}`);
  return answer.json();
}

export function connectOffice(): () => void {
  const { token } = pageCredentials();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const poll = async (): Promise<void> => {
    const store = useStationStore.getState();
    try {
      const overview = officeJobsResponseSchema.parse(await read(OFFICE_JOBS_PATH, token));
      store.setOfficeJobs(overview.jobs, overview.nowMs);
      const open = useStationStore.getState().officeOpenJob;
      if (open) {
        const view = stationSnapshotSchema.parse(
          await read(officeJobPath(open.stationId, open.jobId), token),
        );
        // The job may have been closed or changed while it was read.
        if (useStationStore.getState().officeOpenJob === open)
          useStationStore.getState().applySnapshot(view);
      }
    } catch (err) {
      store.setOfficeProblem(err instanceof Error ? err.message : String(err));
    }
  };
  const loop = (): void => {
    void poll().finally(() => {
      if (!stopped) timer = setTimeout(loop, OFFICE_POLL_MS);
    });
  };
  // A job opened is read at once, not at the next tick.
  const unsubscribe = useStationStore.subscribe((s, before) => {
    if (s.officeOpenJob !== before.officeOpenJob && s.officeOpenJob !== null) void poll();
  });
  loop();
  return () => {
    stopped = true;
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}
