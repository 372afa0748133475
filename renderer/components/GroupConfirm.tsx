import { useEffect, useRef } from 'react';
import { useGroupRequest } from '../bridge/group-confirm.js';

/**
 * The confirmation of a group command: what it does and every machine it reaches. Escape
 * cancels (Shift+Esc stays the fleet stop, which never asks).
 */
export function GroupConfirm() {
  const request = useGroupRequest();
  const confirm = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    if (!request) return;
    confirm.current?.focus();
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && !event.shiftKey) request.answer(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [request]);
  if (!request) return null;
  const count = request.machines.length;
  return (
    <div
      className="group-confirm"
      role="alertdialog"
      aria-modal="false"
      aria-labelledby="group-confirm-title"
      aria-describedby="group-confirm-list"
    >
      <p id="group-confirm-title" className="group-confirm__title">
        {request.action}? It reaches {count} machine{count === 1 ? '' : 's'}:
      </p>
      <ul id="group-confirm-list" className="group-confirm__list" data-testid="group-machines">
        {request.machines.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
      <div className="group-confirm__actions">
        <button ref={confirm} type="button" onClick={() => request.answer(true)}>
          {request.confirmLabel}
        </button>
        <button type="button" onClick={() => request.answer(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
