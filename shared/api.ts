import type { Command, CommandResult } from './commands.js';
import type { StationEvent } from './events.js';
import type { StationSnapshot } from './snapshot.js';

/**
 * The one contract between the UI and the station core (DESIGN.md rule 3). The Electron
 * preload exposes it as `window.station`; the headless server speaks it over a WebSocket
 * (see bridge-protocol.ts). The renderer is written once against this interface.
 */
export interface StationApi {
  snapshot(): Promise<StationSnapshot>;
  command(command: Command): Promise<CommandResult>;
  /** Calls `listener` for every event until the returned function is called. */
  subscribe(listener: (event: StationEvent) => void): () => void;
}

/** IPC channel names used by the Electron preload and main process. */
export const IPC_CHANNELS = {
  snapshot: 'station:snapshot',
  command: 'station:command',
  event: 'station:event',
} as const;
