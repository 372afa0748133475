import { useEffect, useRef, useState } from 'react';
import type { ReplayState } from '../../shared/index.js';
import { sendCommand } from '../bridge/station-bridge.js';
import { formatClock } from '../format.js';
import { formatReplayTime } from '../replay-time.js';
import '../replay.css';

/** Speeds offered as buttons (the station accepts 1× to 60×). */
const SPEEDS = [1, 10, 60] as const;

/**
 * Shown instead of the e-stop panel when the snapshot is a recording (`headland replay`): a
 * replay controls no machine, so there is no stop button to press — only the player. The page
 * is marked `data-replay` so the whole layout says REPLAY, never a live fleet.
 */
export function ReplayPanel({ replay }: { replay: ReplayState }) {
  useEffect(() => {
    document.documentElement.dataset.replay = 'true';
    return () => {
      delete document.documentElement.dataset.replay;
    };
  }, []);
  const { durationMs, speed, playing } = replay;
  // While a seek is on its way the slider shows where it was put, not the last snapshot (a
  // snapshot of an earlier seek must not pull it back); the latest seek's answer ends that.
  const [seekingTo, setSeekingTo] = useState<number | null>(null);
  const seekCount = useRef(0);
  const atMs = seekingTo ?? replay.atMs;
  const seek = (to: number): void => {
    const mine = ++seekCount.current;
    setSeekingTo(to);
    void sendCommand({ type: 'replayControl', action: 'seek', atMs: to }).then(() => {
      if (seekCount.current === mine) setSeekingTo(null);
    });
  };
  return (
    <section className="replay-panel" aria-label="Replay">
      <div className="replay-panel__head">
        <span className="replay-badge" role="status">
          REPLAY
        </span>
        <span className="replay-panel__clock">{formatClock(replay.startedAtWallMs + atMs)}</span>
      </div>
      <p className="replay-panel__note" data-testid="replay-note">
        Replay — no live control. Stop and release are not available here.
      </p>
      <div className="replay-bar" role="group" aria-label="Replay controls">
        <button
          type="button"
          className="replay-bar__play"
          aria-label={playing ? 'Pause' : 'Play'}
          onClick={() =>
            void sendCommand({ type: 'replayControl', action: playing ? 'pause' : 'play' })
          }
        >
          {playing ? '❚❚' : '▶'}
        </button>
        <input
          type="range"
          className="replay-bar__seek"
          aria-label="Replay time"
          aria-valuetext={`${formatReplayTime(atMs)} of ${formatReplayTime(durationMs)}`}
          min={0}
          max={Math.max(1, Math.round(durationMs))}
          step={1000}
          value={Math.round(atMs)}
          onChange={(e) => seek(Number(e.currentTarget.value))}
        />
      </div>
      <div className="replay-bar__times">
        <span data-testid="replay-at">{formatReplayTime(atMs)}</span>
        <span>{formatReplayTime(durationMs)}</span>
      </div>
      <div className="replay-bar__speeds" role="group" aria-label="Replay speed">
        {SPEEDS.map((s) => (
          <button
            key={s}
            type="button"
            aria-pressed={speed === s}
            onClick={() => void sendCommand({ type: 'replayControl', action: 'speed', speed: s })}
          >
            {s}×
          </button>
        ))}
      </div>
    </section>
  );
}
