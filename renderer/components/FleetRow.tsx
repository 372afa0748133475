import { useShallow } from 'zustand/react/shallow';
import { sectionLabel, type TractorSnapshot } from '../../shared/index.js';
import { sendCommand } from '../bridge/station-bridge.js';
import { formatPercent } from '../format.js';
import { tractorColour, tractorTextColour } from '../palette.js';
import { useStationStore } from '../store/store.js';
import { ConfirmStep } from './ConfirmStep.js';
import { DropEffect } from './DropEffect.js';
import { MODE_TEXT } from './ModePicker.js';
import {
  MODE_SHORT,
  STATE_TEXT,
  heardAgo,
  linkBars,
  stopLatencyText,
  stopText,
  tankText,
} from './fleet-row-text.js';
import { gateProps, useMayCommand } from './role-gate.js';

/** What a row shows, as primitives: the row re-renders only when one of them changes. */
function rowView(t: TractorSnapshot) {
  return {
    name: t.name,
    state: t.state,
    mode: t.mode,
    percent: formatPercent(t.progress),
    done: Math.round(t.progress * 100),
    section: t.currentSectionId,
    bars: linkBars(t.link),
    linkState: t.link.state,
    heard: heardAgo(t.link.lastHeardAgoMs),
    rttMs: t.link.rttMs === null ? null : Math.round(t.link.rttMs),
    stopStatus: t.stop.status,
    stopLatencyMs: t.stop.latencyMs,
    hold: t.hold?.action ?? null,
    tank: tankText(t.tank)?.short ?? null,
    tankTitle: tankText(t.tank)?.title ?? null,
  };
}

/**
 * One machine in one line of the fleet list: its name in its colour, what it is doing (or how
 * a stop holds it, with the confirmation time), its mode, done share, current section and
 * link; a Stop, a Release while a stop holds it, a Resume once released. A click selects it
 * (its full card opens in the side panel and the map follows it); a section dropped on it is
 * offered to it.
 */
export function FleetRow({ tractorId }: { tractorId: string }) {
  const view = useStationStore(
    useShallow((s) => {
      const t = s.snapshot?.tractors.find((x) => x.id === tractorId);
      return t ? rowView(t) : null;
    }),
  );
  const selected = useStationStore((s) => s.focusedTractorId === tractorId);
  const select = useStationStore((s) => s.focusTractor);
  const theme = useStationStore((s) => s.theme);
  const dropHere = useStationStore((s) => s.drag?.overTractorId === tractorId);
  const connected = useStationStore((s) => s.connection === 'open');
  const jobUnderWay = useStationStore(
    (s) => s.snapshot !== null && !['planned', 'finished'].includes(s.snapshot.job.state),
  );
  const rolledBack = useStationStore(
    (s) =>
      s.rolledBack?.sectionIds.some(
        (id) => s.snapshot?.sections.find((x) => x.id === id)?.tractorId === tractorId,
      ) ?? false,
  );
  const switching = useStationStore((s) => {
    const change = s.snapshot?.modeChange;
    return (
      change !== null &&
      change !== undefined &&
      (change.scope === 'fleet' || change.scope === tractorId)
    );
  });
  const dragging = useStationStore((s) => s.drag !== null && !s.drag.viewOnly);
  const mayRelease = useMayCommand('release');
  const mayResume = useMayCommand('resumeTractor');
  if (!view) return null;

  const held = view.stopStatus !== 'none';
  const latency = stopLatencyText({ status: view.stopStatus, latencyMs: view.stopLatencyMs });
  const alarm = view.state === 'stopped' || view.state === 'comm-lost' || held;
  // Released from a stop (also while a fleet stop holds the others): it waits, paused, for the
  // operator to set it going once it has been checked.
  const resumable = jobUnderWay && view.state === 'paused' && !held;
  const classes = [
    'fleet-row',
    `fleet-row--${view.state}`,
    selected ? 'fleet-row--selected' : '',
    alarm ? 'fleet-row--alarm' : '',
    dropHere ? 'fleet-row--drop' : '',
    rolledBack ? 'fleet-row--rollback' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <li
      className={classes}
      data-drop-tractor={tractorId}
      data-testid={`tractor-card-${tractorId}`}
      data-state={view.state}
    >
      <button
        type="button"
        className="fleet-row__main"
        aria-pressed={selected}
        title={selected ? 'Close its card' : 'Open its card and follow it on the map'}
        onClick={() => select(selected ? null : tractorId)}
      >
        <span className="fleet-row__line">
          <span
            className="fleet-row__swatch"
            style={{ background: tractorColour(tractorId) }}
            aria-hidden="true"
          />
          <span className="fleet-row__name" style={{ color: tractorTextColour(tractorId, theme) }}>
            {view.name}
          </span>
          {held ? (
            <span
              className={`state-badge state-badge--stop-${view.stopStatus}`}
              data-testid={`stop-status-${tractorId}`}
              data-status={view.stopStatus}
              title={
                view.stopStatus === 'lost'
                  ? 'Stop not confirmed: no reply from the machine'
                  : undefined
              }
            >
              {stopText(view.stopStatus)}
            </span>
          ) : resumable ? null /* its Resume button says it waits, paused */ : (
            <span
              className={`state-badge state-badge--${view.hold ? `hold-${view.hold}` : view.state}`}
              title={
                view.hold
                  ? `${STATE_TEXT[view.state]}, limited by a zone or a neighbour`
                  : undefined
              }
            >
              {/* A zone or separation hold matters more than the work it interrupts. */}
              {view.hold === 'hold'
                ? 'HELD'
                : view.hold === 'slow'
                  ? 'SLOWED'
                  : STATE_TEXT[view.state]}
            </span>
          )}
        </span>
        {dragging ? (
          <span className="fleet-row__line">
            <DropEffect tractorId={tractorId} inline />
          </span>
        ) : (
          <span className="fleet-row__line fleet-row__facts">
            {latency ? (
              <span
                className="fleet-row__latency"
                title="Time the machine took to confirm the stop"
              >
                <span className="sr-only">confirmed in </span>
                {latency}
              </span>
            ) : null}
            <abbr
              className={`mode-badge mode-badge--${view.mode} mode-badge--short${switching ? ' mode-badge--switching' : ''}`}
              data-testid={`mode-badge-${tractorId}`}
              data-mode={view.mode}
              title={`${MODE_TEXT[view.mode]}${switching ? ' (a mode change is under way)' : ''}`}
            >
              {MODE_SHORT[view.mode]}
            </abbr>
            {/* Out of contact its share is only what it last said, and the row's room goes to
                how long it has been lost and where it was: the bar under the row still shows it. */}
            {view.linkState === 'lost' ? null : (
              <span title="Share of its ground done">
                <span className="sr-only">done </span>
                {view.percent}
              </span>
            )}
            <span className="fleet-row__section" title="Section it works now">
              <span className="sr-only">section </span>
              {view.section === null ? '—' : sectionLabel(view.section)}
            </span>
            {view.tank === null ? null : (
              <span
                className="fleet-row__tank"
                title={view.tankTitle ?? undefined}
                data-testid={`tank-${tractorId}`}
              >
                <span className="sr-only">{view.tankTitle}</span>
                <span aria-hidden="true">▮ {view.tank}</span>
              </span>
            )}
            {latency ? null : (
              <span
                className={`fleet-row__link link--${view.linkState}`}
                title={`Link ${view.linkState}${view.rttMs !== null ? `, round trip ${view.rttMs} ms` : ''}, last heard ${view.heard} ago`}
              >
                <span className={`link-bars link-bars--${view.bars}`} aria-hidden="true">
                  <i />
                  <i />
                  <i />
                </span>
                <span className="sr-only">link {view.linkState}, heard </span>
                {view.linkState === 'lost' ? `lost ${view.heard}` : view.heard}
              </span>
            )}
          </span>
        )}
      </button>
      <span className="fleet-row__actions">
        {held && mayRelease && view.stopStatus !== 'sent' ? (
          <ConfirmStep
            label="Release"
            confirmLabel={`Release ${view.name}`}
            className="fleet-row__release"
            testId={`release-${tractorId}`}
            onConfirm={() => sendCommand({ type: 'release', tractorIds: [tractorId] })}
          />
        ) : null}
        {resumable ? (
          <button
            type="button"
            className="fleet-row__resume"
            aria-label={`Resume ${view.name}`}
            onClick={() => void sendCommand({ type: 'resumeTractor', tractorId })}
            {...gateProps(mayResume)}
          >
            Resume
          </button>
        ) : null}
        {held && mayRelease && view.stopStatus !== 'sent' ? null : (
          <button
            type="button"
            className="fleet-row__stop"
            aria-label={`Stop ${view.name}`}
            disabled={held || !connected}
            title={
              held
                ? 'A stop holds it'
                : connected
                  ? undefined
                  : 'this page cannot reach the station'
            }
            onClick={() => void sendCommand({ type: 'tractorStop', tractorId })}
          >
            Stop
          </button>
        )}
      </span>
      <span
        className="fleet-row__progress"
        role="progressbar"
        aria-label={`${view.name} done`}
        aria-valuenow={view.done}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <span style={{ width: `${view.done}%`, background: tractorColour(tractorId) }} />
      </span>
    </li>
  );
}
