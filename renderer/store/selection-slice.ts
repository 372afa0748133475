import type { StateCreator } from 'zustand';
import type { StationStore } from './store.js';

export interface SelectionSlice {
  /** The tractor the operator focused (card click); the map pans to it. */
  focusedTractorId: string | null;
  focusTractor: (id: string | null) => void;
}

export const createSelectionSlice: StateCreator<StationStore, [], [], SelectionSlice> = (set) => ({
  focusedTractorId: null,
  focusTractor(focusedTractorId) {
    set({ focusedTractorId });
  },
});
