import type { StateCreator } from 'zustand';
import type { StationStore } from './store.js';

export type Theme = 'daylight' | 'dark';
export type Units = 'metric' | 'imperial';

const STORAGE_KEY = 'headland.settings';

interface Persisted {
  theme: Theme;
  units: Units;
}

function load(): Persisted {
  const fallback: Persisted = { theme: 'daylight', units: 'metric' };
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    if (!raw) return fallback;
    const parsed = JSON.parse(raw) as Partial<Record<keyof Persisted, unknown>>;
    return {
      theme: parsed.theme === 'dark' ? 'dark' : 'daylight',
      units: parsed.units === 'imperial' ? 'imperial' : 'metric',
    };
  } catch {
    return fallback;
  }
}

function save(settings: Persisted): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
  } catch {
    // storage full or disabled: the setting still applies for this session
  }
}

export interface SettingsSlice extends Persisted {
  setTheme: (theme: Theme) => void;
  setUnits: (units: Units) => void;
}

export const createSettingsSlice: StateCreator<StationStore, [], [], SettingsSlice> = (
  set,
  get,
) => ({
  ...load(),
  setTheme(theme) {
    set({ theme });
    save({ theme, units: get().units });
  },
  setUnits(units) {
    set({ units });
    save({ theme: get().theme, units });
  },
});
