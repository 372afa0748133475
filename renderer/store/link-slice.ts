import type { StateCreator } from 'zustand';
import type { StationStore } from './store.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface LinkSlice {
  connection: ConnectionState;
  setConnection: (state: ConnectionState) => void;
}

export const createLinkSlice: StateCreator<StationStore, [], [], LinkSlice> = (set) => ({
  connection: 'connecting',
  setConnection(connection) {
    set({ connection });
  },
});
