import { useEffect, useId, useRef, useState } from 'react';
import type { AutonomyMode } from '../../shared/index.js';
import { gateProps } from './role-gate.js';

export const MODE_TEXT: Record<AutonomyMode, string> = {
  manual: 'Manual',
  supervised: 'Supervised',
  autonomous: 'Autonomous',
};

const MODE_HINT: Record<AutonomyMode, string> = {
  manual: 'driver in the cab',
  supervised: 'moves only under watch',
  autonomous: 'works on its own',
};

const MODES: readonly AutonomyMode[] = ['manual', 'supervised', 'autonomous'];

/**
 * A button that opens the three autonomy modes; choosing one asks for the switch (the station
 * runs the handshake). A menu of buttons, not a <select>: arrowing through a closed select
 * would send a mode change per keypress.
 */
export function ModePicker({
  label,
  value,
  ariaLabel,
  current,
  target,
  disabled,
  allowed = true,
  onChoose,
}: {
  /** Visible text of the opening button, e.g. "Change mode". */
  label: string;
  /** A second line under the label, e.g. the current mode. */
  value?: string;
  /** A fuller accessible name when several pickers share a visible label; starts with it. */
  ariaLabel?: string;
  current: AutonomyMode | 'mixed';
  /** Who switches, for the options' group name: "the fleet", "Tractor 2". */
  target: string;
  disabled: boolean;
  /** False when the page's role may not change modes (a viewer). */
  allowed?: boolean;
  onChoose: (mode: AutonomyMode) => void;
}) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement | null>(null);
  const trigger = useRef<HTMLButtonElement | null>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.shiftKey) return; // Shift+Esc is the fleet stop
      setOpen(false);
      trigger.current?.focus();
    };
    const onPointer = (event: PointerEvent): void => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onPointer);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const choose = (mode: AutonomyMode): void => {
    setOpen(false);
    trigger.current?.focus();
    onChoose(mode);
  };

  return (
    <div className="mode-picker" ref={root}>
      <button
        ref={trigger}
        type="button"
        className="mode-picker__trigger"
        aria-label={ariaLabel}
        aria-expanded={open}
        aria-controls={menuId}
        disabled={disabled}
        onClick={() => setOpen(!open)}
        {...gateProps(allowed)}
      >
        {value === undefined ? (
          `${label} ▾`
        ) : (
          <>
            <span className="mode-picker__label">{label}</span>{' '}
            <span className="mode-picker__value">{value} ▾</span>
          </>
        )}
      </button>
      {open ? (
        <div
          className="mode-picker__menu"
          id={menuId}
          role="group"
          aria-label={`Switch ${target} to`}
        >
          {MODES.map((mode) => (
            <button
              key={mode}
              type="button"
              className={`mode-picker__option mode-picker__option--${mode}`}
              aria-pressed={current === mode}
              onClick={() => choose(mode)}
            >
              <strong>{MODE_TEXT[mode]}</strong>
              <small>{current === mode ? 'current' : MODE_HINT[mode]}</small>
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
