import type { StateCreator } from 'zustand';
import type { LonLat } from '../../shared/index.js';
import type { StationStore } from './store.js';

export interface LayerVisibility {
  basemap: boolean;
  labels: boolean;
  worked: boolean;
  zones: boolean;
}

export interface MapViewSlice {
  layers: LayerVisibility;
  toggleLayer: (layer: keyof LayerVisibility) => void;
  /** Corners of the keep-out zone being drawn on the map; null when not drawing. */
  zoneDraft: LonLat[] | null;
  startZoneDraft: () => void;
  addZoneCorner: (corner: LonLat) => void;
  undoZoneCorner: () => void;
  endZoneDraft: () => void;
}

export const createMapViewSlice: StateCreator<StationStore, [], [], MapViewSlice> = (set) => ({
  layers: { basemap: true, labels: true, worked: true, zones: true },
  toggleLayer(layer) {
    set((state) => ({ layers: { ...state.layers, [layer]: !state.layers[layer] } }));
  },
  zoneDraft: null,
  startZoneDraft() {
    set({ zoneDraft: [] });
  },
  addZoneCorner(corner) {
    set((state) => (state.zoneDraft ? { zoneDraft: [...state.zoneDraft, corner] } : {}));
  },
  undoZoneCorner() {
    set((state) => (state.zoneDraft ? { zoneDraft: state.zoneDraft.slice(0, -1) } : {}));
  },
  endZoneDraft() {
    set({ zoneDraft: null });
  },
});
