import { useShallow } from 'zustand/react/shallow';
import { useStationStore } from '../store/store.js';
import { MODE_TEXT } from './ModePicker.js';

/**
 * A mode change under way, across the top of the map: the fleet is never half-switched without
 * the operator seeing which machines have not answered yet.
 */
export function ModeChangeBanner() {
  const change = useStationStore((s) => s.snapshot?.modeChange ?? null);
  const names = useStationStore(
    useShallow((s) => {
      const waiting = s.snapshot?.modeChange?.waitingFor ?? [];
      const tractors = s.snapshot?.tractors ?? [];
      return waiting.map((id) => tractors.find((t) => t.id === id)?.name ?? id);
    }),
  );
  const scopeName = useStationStore((s) => {
    const scope = s.snapshot?.modeChange?.scope;
    if (!scope || scope === 'fleet') return 'fleet';
    return s.snapshot?.tractors.find((t) => t.id === scope)?.name ?? scope;
  });
  if (!change) return null;
  return (
    <div className="mode-change" role="status" data-testid="mode-change">
      Switching {scopeName} to {MODE_TEXT[change.mode].toLowerCase()}…
      {names.length > 0 ? ` waiting for ${names.join(', ')}` : ' confirming'}
    </div>
  );
}
