import { useState } from 'react';

/**
 * A two-step action in place: the first click asks, the second acts, Cancel (or Escape) goes
 * back. Used where the station's rule is two steps (a release), never for a stop.
 */
export function ConfirmStep({
  label,
  confirmLabel,
  onConfirm,
  disabled = false,
  className = '',
  testId,
}: {
  label: string;
  confirmLabel: string;
  onConfirm: () => unknown;
  disabled?: boolean;
  className?: string;
  testId?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button
        type="button"
        className={className}
        disabled={disabled}
        data-testid={testId}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  return (
    <span className="confirm-step" role="group" aria-label={confirmLabel}>
      <button
        type="button"
        className={`${className} confirm-step__yes`}
        autoFocus
        onClick={() => {
          setAsking(false);
          void onConfirm();
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && !event.shiftKey) setAsking(false);
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="confirm-step__no" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
