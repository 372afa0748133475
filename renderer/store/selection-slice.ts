import type { StateCreator } from 'zustand';
import type { StationStore } from './store.js';

/** A section drag in progress: which sections, and where the pointer is. */
export interface SectionDrag {
  sectionIds: string[];
  x: number;
  y: number;
  /** Tractor under the pointer, if any. */
  overTractorId: string | null;
  /** A viewer's drag: it shows that a viewer cannot change the job and drops nothing. */
  viewOnly: boolean;
}

/** The last reassignment, kept so one click can undo it. */
export interface LastMove {
  moves: { sectionId: string; fromTractorId: string | null }[];
  toTractorId: string;
}

/** A move sent and not yet answered: drawn with the new holder's colour, dashed. */
export interface PendingMove {
  sectionIds: string[];
  toTractorId: string;
}

/** A move the station refused: its sections flash back to the tractors that still hold them. */
export interface RolledBack {
  /** Distinct per refusal, so a second refusal of the same sections flashes again. */
  id: number;
  sectionIds: string[];
}

/** The side panel's tabs under the e-stop panel and the alerts. */
export type SideTab = 'fleet' | 'zones' | 'jobs' | 'events';

export interface SelectionSlice {
  /** The tractor the operator selected (fleet row or marker): its card shows, the map follows it. */
  focusedTractorId: string | null;
  /** Selects a tractor (its full card opens in the side panel) or none. */
  focusTractor: (id: string | null) => void;
  sideTab: SideTab;
  setSideTab: (tab: SideTab) => void;
  selectedSectionIds: string[];
  /** Selects one section, or adds/removes it from the selection when `additive`. */
  selectSection: (id: string, additive: boolean) => void;
  clearSelection: () => void;
  drag: SectionDrag | null;
  setDrag: (drag: SectionDrag | null) => void;
  lastMove: LastMove | null;
  setLastMove: (move: LastMove | null) => void;
  pendingMove: PendingMove | null;
  setPendingMove: (move: PendingMove | null) => void;
  rolledBack: RolledBack | null;
  setRolledBack: (rolledBack: RolledBack | null) => void;
}

export const createSelectionSlice: StateCreator<StationStore, [], [], SelectionSlice> = (set) => ({
  focusedTractorId: null,
  focusTractor(focusedTractorId) {
    set(focusedTractorId === null ? { focusedTractorId } : { focusedTractorId, sideTab: 'fleet' });
  },
  sideTab: 'fleet',
  setSideTab(sideTab) {
    set({ sideTab });
  },
  selectedSectionIds: [],
  selectSection(id, additive) {
    set((state) => {
      if (!additive)
        return {
          selectedSectionIds:
            state.selectedSectionIds.length === 1 && state.selectedSectionIds[0] === id ? [] : [id],
        };
      const has = state.selectedSectionIds.includes(id);
      return {
        selectedSectionIds: has
          ? state.selectedSectionIds.filter((s) => s !== id)
          : [...state.selectedSectionIds, id],
      };
    });
  },
  clearSelection() {
    set({ selectedSectionIds: [] });
  },
  drag: null,
  setDrag(drag) {
    set({ drag });
  },
  lastMove: null,
  setLastMove(lastMove) {
    set({ lastMove });
  },
  pendingMove: null,
  setPendingMove(pendingMove) {
    set({ pendingMove });
  },
  rolledBack: null,
  setRolledBack(rolledBack) {
    set({ rolledBack });
  },
});
