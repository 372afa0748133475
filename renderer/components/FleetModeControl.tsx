import { setFleetMode } from '../bridge/group-commands.js';
import { useStationStore } from '../store/store.js';
import { MODE_TEXT, ModePicker } from './ModePicker.js';
import { useMayCommand } from './role-gate.js';

/** The fleet's autonomy mode (or "mixed") in the job header, and the fleet-wide switch. */
export function FleetModeControl() {
  const mode = useStationStore((s) => {
    const tractors = s.snapshot?.tractors ?? [];
    const first = tractors[0]?.mode;
    if (!first) return null;
    return tractors.every((t) => t.mode === first) ? first : 'mixed';
  });
  const pending = useStationStore((s) => (s.snapshot?.modeChange ?? null) !== null);
  const allowed = useMayCommand('setMode');
  if (mode === null) return null;
  return (
    <ModePicker
      label="Fleet mode:"
      value={mode === 'mixed' ? 'mixed' : MODE_TEXT[mode]}
      current={mode}
      target="the fleet"
      disabled={pending}
      allowed={allowed}
      onChoose={(next) => void setFleetMode(next)}
    />
  );
}
