import { useEffect, useRef } from 'react';
import { useStationStore } from '../store/store.js';

const TOAST_MS = 6_000;

/**
 * The station's notices, in the job header beside its buttons (styles.css `.toasts`): the newest
 * in full, with how many earlier ones are still up (dismissing it shows the one before); each
 * goes 6 s after it came, and stays in the Events tab.
 */
export function Toasts() {
  const notices = useStationStore((s) => s.notices);
  const dismiss = useStationStore((s) => s.dismissNotice);
  // One timer per notice from its arrival: a later notice does not keep an earlier one longer.
  const timers = useRef(new Map<number, number>());
  useEffect(() => {
    const live = new Set(notices.map((n) => n.id));
    for (const [id, timer] of timers.current)
      if (!live.has(id)) {
        window.clearTimeout(timer);
        timers.current.delete(id);
      }
    for (const n of notices)
      if (!timers.current.has(n.id))
        timers.current.set(
          n.id,
          window.setTimeout(() => dismiss(n.id), TOAST_MS),
        );
  }, [notices, dismiss]);
  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) window.clearTimeout(timer);
      pending.clear();
    };
  }, []);
  const newest = notices.at(-1);
  const earlier = notices.length - 1;
  return (
    <div className="toasts" role="log" aria-live="polite" aria-label="Notifications">
      {newest ? (
        <div key={newest.id} className={`toast toast--${newest.severity}`}>
          <span className="toast__message" title={newest.message}>
            {newest.message}
          </span>
          {earlier > 0 ? (
            <span
              className="toast__earlier"
              title="Earlier notices: × shows them; all are in the Events tab"
            >
              +{earlier}
            </span>
          ) : null}
          <button type="button" aria-label="Dismiss" onClick={() => dismiss(newest.id)}>
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}
