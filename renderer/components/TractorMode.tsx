import type { TractorSnapshot } from '../../shared/index.js';
import { setMode } from '../bridge/safety-commands.js';
import { useStationStore } from '../store/store.js';
import { MODE_TEXT, ModePicker } from './ModePicker.js';
import { useMayCommand } from './role-gate.js';

/** A tractor's autonomy mode as a badge, its switch, and its part in a change under way. */
export function TractorMode({ tractor }: { tractor: TractorSnapshot }) {
  // "mode|waiting" or "mode|answered" while a change that includes this tractor is under way.
  const switching = useStationStore((s) => {
    const change = s.snapshot?.modeChange;
    if (!change || tractor.state === 'comm-lost') return null;
    if (change.scope !== 'fleet' && change.scope !== tractor.id) return null;
    return `${change.mode}|${change.waitingFor.includes(tractor.id) ? 'waiting' : 'answered'}`;
  });
  const pending = useStationStore((s) => (s.snapshot?.modeChange ?? null) !== null);
  const allowed = useMayCommand('setMode');
  const [toMode, phase] = switching ? switching.split('|') : [null, null];
  return (
    <div className="tractor-mode">
      <span className={`mode-badge mode-badge--${tractor.mode}`} data-mode={tractor.mode}>
        {MODE_TEXT[tractor.mode].toUpperCase()}
      </span>
      <ModePicker
        label="Change mode"
        ariaLabel={`Change mode of ${tractor.name}`}
        current={tractor.mode}
        target={tractor.name}
        disabled={pending || tractor.state === 'comm-lost'}
        allowed={allowed}
        onChoose={(mode) => void setMode(mode, [tractor.id])}
      />
      {toMode ? (
        <p className="tractor-mode__switching">
          Switching to {toMode}… {phase === 'waiting' ? 'waiting for its answer' : 'accepted'}
        </p>
      ) : null}
    </div>
  );
}
