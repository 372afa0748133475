import type { StateCreator } from 'zustand';
import type { StationStore } from './store.js';

export interface LayerVisibility {
  basemap: boolean;
  labels: boolean;
  worked: boolean;
}

export interface MapViewSlice {
  layers: LayerVisibility;
  toggleLayer: (layer: keyof LayerVisibility) => void;
}

export const createMapViewSlice: StateCreator<StationStore, [], [], MapViewSlice> = (set) => ({
  layers: { basemap: true, labels: true, worked: true },
  toggleLayer(layer) {
    set((state) => ({ layers: { ...state.layers, [layer]: !state.layers[layer] } }));
  },
});
