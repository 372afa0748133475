/**
 * The one place the renderer meets the station: picks the Electron preload's `window.station`
 * when present, otherwise the WebSocket bridge, and writes everything it hears into the store.
 * Components never call the bridge directly; they call `sendCommand`.
 */
import type { Command, CommandResult, Session, StationApi } from '../../shared/index.js';
import { useStationStore } from '../store/store.js';
import { cancelGroupRequest } from './group-confirm.js';
import { WsStationApi } from './ws-station-api.js';

declare global {
  interface Window {
    station?: StationApi;
  }
}

let api: StationApi | null = null;

/** The desktop window's user is the operator at the station; main.ts authorizes it as one. */
const LOCAL_SESSION: Session = { name: 'local', role: 'operator' };

export function connectStation(): () => void {
  const store = useStationStore.getState();
  const preload = window.station;
  const ws = preload
    ? null
    : WsStationApi.forPage({
        onConnection: (state) => store.setConnection(state),
        onSession: (session) => store.setSession(session),
      });
  api = preload ?? ws;
  if (preload) {
    store.setConnection('open');
    store.setSession(LOCAL_SESSION);
  }
  const unsubscribe = (api as StationApi).subscribe((event) => {
    if (event.type === 'state') {
      // A stop from anywhere (another page, a machine) closes every question that would set
      // machines moving: confirming it now would act on a fleet the operator has not seen.
      if (hasNewStop(useStationStore.getState().snapshot?.stops, event.snapshot.stops))
        cancelGroupRequest();
      useStationStore.getState().applySnapshot(event.snapshot);
    } else useStationStore.getState().pushNotice(event.severity, event.message);
  });
  (api as StationApi)
    .snapshot()
    .then((snapshot) => useStationStore.getState().applySnapshot(snapshot))
    .catch(() => undefined);
  return () => {
    unsubscribe();
    ws?.dispose();
    api = null;
  };
}

function hasNewStop(
  before: readonly { id: string }[] | undefined,
  after: readonly { id: string }[],
): boolean {
  return after.some((stop) => !(before ?? []).some((known) => known.id === stop.id));
}

/** STOP ALL from this page: questions that would set machines moving close before it goes. */
export function stopFleet(): Promise<CommandResult> {
  cancelGroupRequest();
  return sendCommand({ type: 'fleetStop' });
}

export interface SendOptions {
  /** Leave telling the operator about a refusal to the caller (it says more than the code). */
  quietRefusal?: boolean;
  /** The undo of the last move itself: its offer stays until the undo has gone through. */
  keepUndo?: boolean;
}

export async function sendCommand(
  command: Command,
  options: SendOptions = {},
): Promise<CommandResult> {
  // Any other action ends the offer to undo the last move: undoing it later would undo
  // something the operator no longer has in mind.
  if (options.keepUndo !== true) useStationStore.getState().setLastMove(null);
  if (!api)
    return { ok: false, error: { code: 'unavailable', message: 'not connected to the station' } };
  try {
    const result = await api.command(command);
    if (!result.ok && options.quietRefusal !== true)
      useStationStore.getState().pushNotice('warning', result.error.message);
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : 'command failed';
    useStationStore.getState().pushNotice('critical', message);
    return { ok: false, error: { code: 'unavailable', message } };
  }
}
