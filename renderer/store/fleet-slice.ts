import type { StateCreator } from 'zustand';
import type { StationSnapshot } from '../../shared/index.js';
import { shareUnchanged } from './share-unchanged.js';
import type { StationStore } from './store.js';

export interface FleetSlice {
  /** The latest snapshot from the station; null until the first arrives. */
  snapshot: StationSnapshot | null;
  applySnapshot: (snapshot: StationSnapshot) => void;
}

export const createFleetSlice: StateCreator<StationStore, [], [], FleetSlice> = (set, get) => ({
  snapshot: null,
  applySnapshot(snapshot) {
    const current = get().snapshot;
    // Events can cross a reconnect: never go back to an older snapshot of the same run.
    if (
      current &&
      current.job.id === snapshot.job.id &&
      snapshot.station.seq < current.station.seq &&
      snapshot.station.seq !== 0
    )
      return;
    // Unchanged parts keep their identity: selectors of them do not re-render, layers skip them.
    set({ snapshot: shareUnchanged(current, snapshot) });
  },
});
