import type { StateCreator } from 'zustand';
import type { Session } from '../../shared/index.js';
import type { StationStore } from './store.js';

/** Who the station takes this page to be (docs/roles.md), with its note when it gave less. */
export interface SessionSlice {
  session: Session | null;
  setSession: (session: Session) => void;
}

export const createSessionSlice: StateCreator<StationStore, [], [], SessionSlice> = (set) => ({
  session: null,
  setSession(session) {
    set({ session });
  },
});
