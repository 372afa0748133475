import { useShallow } from 'zustand/react/shallow';
import { useStationStore } from '../store/store.js';

/**
 * The stop's summary beside STOP ALL: how many machines it holds and how many confirmed, and
 * by name the ones not confirmed yet or lost. Counts are machines, whatever number of stops
 * hold them. Each machine's confirmation time and its own Release are on its fleet row.
 */
export function StopStatusList() {
  const summary = useStationStore(
    useShallow((s) => {
      const tractors = s.snapshot?.tractors ?? [];
      const held = tractors.filter((t) => t.stop.status !== 'none');
      return {
        total: tractors.length,
        held: held.length,
        confirmed: held.filter((t) => t.stop.status === 'confirmed').length,
        waiting: held
          .filter((t) => t.stop.status === 'sent')
          .map((t) => t.name)
          .join(', '),
        lost: held
          .filter((t) => t.stop.status === 'lost')
          .map((t) => t.name)
          .join(', '),
      };
    }),
  );
  const free = summary.total - summary.held;
  return (
    <div className="stop-status">
      <p className="stop-status__summary" role="status" data-testid="stop-summary">
        STOP ACTIVE — {summary.confirmed} of {summary.held} machine
        {summary.held === 1 ? '' : 's'} confirmed stopped
        {/* Machines no stop holds (never stopped, or released): not "released", which says a
            release happened to machines that may never have been stopped. */}
        {free > 0 ? ` · ${free} other${free === 1 ? '' : 's'} not stopped` : ''}
      </p>
      {summary.lost ? (
        <p className="stop-status__lost" data-testid="stop-lost">
          NOT CONFIRMED: {summary.lost}
        </p>
      ) : null}
      {summary.waiting ? (
        <p className="stop-status__waiting" data-testid="stop-waiting">
          Waiting for: {summary.waiting}
        </p>
      ) : null}
    </div>
  );
}
