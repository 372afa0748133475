import type { TractorSnapshot } from '../../shared/index.js';
import { sectionLabel } from '../../shared/index.js';
import { formatPercent, formatSpeed } from '../format.js';
import { tractorColour, tractorTextColour } from '../palette.js';
import { useStationStore } from '../store/store.js';
import { DropEffect } from './DropEffect.js';
import { SectionChips } from './SectionChips.js';
import { TractorMode } from './TractorMode.js';
import { tractorEtaText } from './eta-text.js';
import { STATE_TEXT, heardAgo, stopLatencyText, stopText } from './fleet-row-text.js';

/**
 * The selected machine's full card in the side panel: its hold, mode and mode switch, progress
 * with the ETA (or why there is none), speed, link figures and its sections (drag one onto
 * another machine, or select it for the Move bar). Its Stop, Release and Resume are on its row.
 */
export function TractorCard({ tractor }: { tractor: TractorSnapshot }) {
  const close = useStationStore((s) => s.focusTractor);
  const theme = useStationStore((s) => s.theme);
  const units = useStationStore((s) => s.units);
  const dropHere = useStationStore((s) => s.drag?.overTractorId === tractor.id);
  const held = tractor.stop.status !== 'none';
  const alarm = held || tractor.state === 'stopped' || tractor.state === 'comm-lost';
  return (
    <article
      data-drop-tractor={tractor.id}
      className={`tractor-card${alarm ? ' tractor-card--alarm' : ''}${dropHere ? ' tractor-card--drop' : ''}`}
      data-testid={`tractor-detail-${tractor.id}`}
      aria-label={`${tractor.name} card`}
    >
      <header className="tractor-card__head">
        <span
          className="tractor-card__swatch"
          style={{ background: tractorColour(tractor.id) }}
          aria-hidden="true"
        />
        <h3 className="tractor-card__name" style={{ color: tractorTextColour(tractor.id, theme) }}>
          {tractor.name}
        </h3>
        <span
          className={`state-badge ${held ? `state-badge--stop-${tractor.stop.status}` : `state-badge--${tractor.state}`}`}
        >
          {held ? stopText(tractor.stop.status) : STATE_TEXT[tractor.state]}
        </span>
        <button type="button" className="tractor-card__close" onClick={() => close(null)}>
          Close
        </button>
      </header>
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
            style={{ width: `${tractor.progress * 100}%`, background: tractorColour(tractor.id) }}
          />
        </div>
        <dl className="tractor-card__facts">
          <div>
            <dt>Done</dt>
            <dd>{formatPercent(tractor.progress)}</dd>
          </div>
          <div>
            <dt>ETA</dt>
            <dd data-testid={`tractor-eta-${tractor.id}`}>{tractorEtaText(tractor)}</dd>
          </div>
          <div>
            <dt>Speed</dt>
            <dd>{formatSpeed(tractor.speedMps, units)}</dd>
          </div>
          <div>
            <dt>Section</dt>
            <dd>{tractor.currentSectionId ? sectionLabel(tractor.currentSectionId) : '—'}</dd>
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
          {stopLatencyText(tractor.stop) ? (
            <div>
              <dt>Stop confirmed</dt>
              <dd>in {stopLatencyText(tractor.stop)}</dd>
            </div>
          ) : null}
          <div>
            <dt>Heard</dt>
            <dd>{heardAgo(tractor.link.lastHeardAgoMs)} ago</dd>
          </div>
        </dl>
        <DropEffect tractorId={tractor.id} />
        <SectionChips sectionIds={tractor.sectionIds} />
      </div>
    </article>
  );
}
