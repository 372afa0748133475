import type { StateCreator } from 'zustand';
import type { Session } from '../../shared/index.js';
import type { StationStore } from './store.js';

/** Who the station takes this page to be (docs/roles.md), or why it refused the page. */
export interface SessionSlice {
  session: Session | null;
  /** Set when the station closed the connection for good (an unknown or rotated token). */
  refusal: string | null;
  setSession: (session: Session) => void;
  setRefusal: (reason: string) => void;
}

export const createSessionSlice: StateCreator<StationStore, [], [], SessionSlice> = (set) => ({
  session: null,
  refusal: null,
  setSession(session) {
    set({ session, refusal: null });
  },
  setRefusal(refusal) {
    set({ refusal });
  },
});
