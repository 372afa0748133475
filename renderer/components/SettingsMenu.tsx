import { useStationStore } from '../store/store.js';

/** Theme and units; both persist on this machine. */
export function SettingsMenu() {
  const theme = useStationStore((s) => s.theme);
  const units = useStationStore((s) => s.units);
  const setTheme = useStationStore((s) => s.setTheme);
  const setUnits = useStationStore((s) => s.setUnits);
  return (
    <div className="settings" role="group" aria-label="Display settings">
      <button
        type="button"
        aria-label="Dark theme"
        aria-pressed={theme === 'dark'}
        onClick={() => setTheme(theme === 'dark' ? 'daylight' : 'dark')}
      >
        Dark
      </button>
      <button
        type="button"
        title="Switch units"
        onClick={() => setUnits(units === 'imperial' ? 'metric' : 'imperial')}
      >
        Units: {units === 'imperial' ? 'ac, mph' : 'ha, km/h'}
      </button>
    </div>
  );
}
