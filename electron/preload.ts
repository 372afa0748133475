/**
 * Exposes the StationApi to the renderer as `window.station`, and nothing else: no ipcRenderer,
 * no Node. Runs sandboxed with context isolation (Electron security checklist items 3 and 4).
 * Every message from the main process is validated against the shared schemas.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC_CHANNELS,
  commandResultSchema,
  parseWith,
  stationEventSchema,
  stationSnapshotSchema,
  type Command,
  type CommandResult,
  type StationApi,
  type StationEvent,
  type StationSnapshot,
} from '../shared/index.js';

const api: StationApi = {
  async snapshot(): Promise<StationSnapshot> {
    const parsed = parseWith(
      stationSnapshotSchema,
      await ipcRenderer.invoke(IPC_CHANNELS.snapshot),
    );
    if (!parsed.ok) throw new Error(`station sent an invalid snapshot: ${parsed.error}`);
    return parsed.value;
  },
  async command(command: Command): Promise<CommandResult> {
    const parsed = parseWith(
      commandResultSchema,
      await ipcRenderer.invoke(IPC_CHANNELS.command, command),
    );
    if (!parsed.ok)
      return {
        ok: false,
        error: { code: 'invalid', message: `station sent an invalid reply: ${parsed.error}` },
      };
    return parsed.value;
  },
  subscribe(listener: (event: StationEvent) => void): () => void {
    const handler = (_event: IpcRendererEvent, payload: unknown): void => {
      const parsed = parseWith(stationEventSchema, payload);
      if (parsed.ok) listener(parsed.value);
    };
    ipcRenderer.on(IPC_CHANNELS.event, handler);
    return () => ipcRenderer.removeListener(IPC_CHANNELS.event, handler);
  },
};

contextBridge.exposeInMainWorld('station', Object.freeze(api));
