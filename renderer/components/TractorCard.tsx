import type { TractorSnapshot } from '../../shared/index.js';
import { sendCommand } from '../bridge/station-bridge.js';
import { formatDuration, formatPercent, formatSpeed } from '../format.js';
import { tractorColour } from '../palette.js';
import { useStationStore } from '../store/store.js';
import { DropEffect } from './DropEffect.js';
import { SectionChips } from './SectionChips.js';
import { TractorMode } from './TractorMode.js';
import { gateProps, useMayCommand } from './role-gate.js';

const STATE_TEXT: Record<TractorSnapshot['state'], string> = {
  joining: 'JOINING',
  idle: 'IDLE',
  working: 'WORKING',
  turning: 'TURNING',
  paused: 'PAUSED',
  stopped: 'STOPPED',
  'comm-lost': 'COMM LOST',
  done: 'DONE',
};

export function TractorCard({ tractor, index }: { tractor: TractorSnapshot; index: number }) {
  const focus = useStationStore((s) => s.focusTractor);
  const focused = useStationStore((s) => s.focusedTractorId === tractor.id);
  const alarm = tractor.state === 'stopped' || tractor.state === 'comm-lost';
  const dropHere = useStationStore((s) => s.drag?.overTractorId === tractor.id);
  const units = useStationStore((s) => s.units);
  const connected = useStationStore((s) => s.connection === 'open');
  const jobUnderWay = useStationStore(
    (s) => s.snapshot !== null && !['planned', 'finished'].includes(s.snapshot.job.state),
  );
  const mayResume = useMayCommand('resumeTractor');
  // Released from a stop (also while a fleet stop holds the others): it waits, paused, for the
  // operator to set it going once it has been checked.
  const resumable = jobUnderWay && tractor.state === 'paused' && tractor.stop.status === 'none';
  const rolledBackHere = useStationStore(
    (s) => s.rolledBack?.sectionIds.some((id) => tractor.sectionIds.includes(id)) ?? false,
  );
  return (
    <li
      data-drop-tractor={tractor.id}
      className={`tractor-card tractor-card--${tractor.state}${focused ? ' tractor-card--focused' : ''}${alarm ? ' tractor-card--alarm' : ''}${dropHere ? ' tractor-card--drop' : ''}${rolledBackHere ? ' tractor-card--rollback' : ''}`}
      data-testid={`tractor-card-${tractor.id}`}
      data-state={tractor.state}
    >
      <button
        type="button"
        className="tractor-card__focus"
        title="Show on the map"
        onClick={() => focus(focused ? null : tractor.id)}
      >
        <span
          className="tractor-card__swatch"
          style={{ background: tractorColour(index) }}
          aria-hidden="true"
        />
        <span className="tractor-card__name">{tractor.name}</span>
        <span className={`state-badge state-badge--${tractor.state}`}>
          {STATE_TEXT[tractor.state]}
        </span>
      </button>
      <div className="tractor-card__body">
        {tractor.hold ? (
          <p
            className={`hold-line hold-line--${tractor.hold.action}`}
            data-testid={`hold-${tractor.id}`}
          >
            <strong>{tractor.hold.action === 'hold' ? 'HELD' : 'SLOWED'}:</strong>{' '}
            {tractor.hold.reason}
          </p>
        ) : null}
        <TractorMode tractor={tractor} />
        <div
          className="progress-bar"
          aria-label={`${tractor.name} progress`}
          role="progressbar"
          aria-valuenow={Math.round(tractor.progress * 100)}
          aria-valuemin={0}
          aria-valuemax={100}
        >
          <div
            className="progress-bar__fill"
            style={{ width: `${tractor.progress * 100}%`, background: tractorColour(index) }}
          />
        </div>
        <dl className="tractor-card__facts">
          <div>
            <dt>Done</dt>
            <dd>{formatPercent(tractor.progress)}</dd>
          </div>
          <div>
            <dt>ETA</dt>
            <dd>{formatDuration(tractor.etaS)}</dd>
          </div>
          <div>
            <dt>Speed</dt>
            <dd>{formatSpeed(tractor.speedMps, units)}</dd>
          </div>
          <div>
            <dt>Section</dt>
            <dd>{tractor.currentSectionId ?? '—'}</dd>
          </div>
          <div>
            <dt>Link</dt>
            <dd className={`link link--${tractor.link.state}`}>
              {tractor.link.state}
              {tractor.link.rttMs !== null && tractor.link.state !== 'lost'
                ? ` · ${Math.round(tractor.link.rttMs)} ms`
                : ''}
            </dd>
          </div>
        </dl>
        <DropEffect tractorId={tractor.id} />
        <SectionChips sectionIds={tractor.sectionIds} />
        {resumable ? (
          <button
            type="button"
            className="tractor-card__resume"
            aria-label={`Resume ${tractor.name}`}
            onClick={() => void sendCommand({ type: 'resumeTractor', tractorId: tractor.id })}
            {...gateProps(mayResume)}
          >
            Resume
          </button>
        ) : null}
        <button
          type="button"
          className="tractor-card__stop"
          aria-label={`Stop ${tractor.name}`}
          disabled={tractor.stop.status !== 'none' || !connected}
          title={connected ? undefined : 'this page cannot reach the station'}
          onClick={() => void sendCommand({ type: 'tractorStop', tractorId: tractor.id })}
        >
          Stop
        </button>
      </div>
    </li>
  );
}
