import { useEffect } from 'react';
import { useStationStore } from '../store/store.js';

const TOAST_MS = 6_000;

export function Toasts() {
  const notices = useStationStore((s) => s.notices);
  const dismiss = useStationStore((s) => s.dismissNotice);
  useEffect(() => {
    const timers = notices.map((n) => window.setTimeout(() => dismiss(n.id), TOAST_MS));
    return () => timers.forEach((t) => window.clearTimeout(t));
  }, [notices, dismiss]);
  return (
    <div className="toasts" role="log" aria-live="polite" aria-label="Notifications">
      {notices.map((n) => (
        <div key={n.id} className={`toast toast--${n.severity}`}>
          <span>{n.message}</span>
          <button type="button" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
