import { create } from 'zustand';
import { createAlertsSlice, type AlertsSlice } from './alerts-slice.js';
import { createFleetSlice, type FleetSlice } from './fleet-slice.js';
import { createLinkSlice, type LinkSlice } from './link-slice.js';
import { createMapViewSlice, type MapViewSlice } from './map-view-slice.js';
import { createOfficeSlice, type OfficeSlice } from './office-slice.js';
import { createSelectionSlice, type SelectionSlice } from './selection-slice.js';
import { createSessionSlice, type SessionSlice } from './session-slice.js';
import { createSettingsSlice, type SettingsSlice } from './settings-slice.js';

export type StationStore = FleetSlice &
  LinkSlice &
  AlertsSlice &
  SelectionSlice &
  SettingsSlice &
  MapViewSlice &
  SessionSlice &
  OfficeSlice;

/** One store built from slices; components read it through narrow selectors. */
export const useStationStore = create<StationStore>()((...args) => ({
  ...createFleetSlice(...args),
  ...createLinkSlice(...args),
  ...createAlertsSlice(...args),
  ...createSelectionSlice(...args),
  ...createSettingsSlice(...args),
  ...createMapViewSlice(...args),
  ...createSessionSlice(...args),
  ...createOfficeSlice(...args),
}));
