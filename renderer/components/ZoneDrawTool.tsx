import type L from 'leaflet';
import { useEffect, useState, type MouseEvent, type WheelEvent } from 'react';
import { addZone } from '../bridge/safety-commands.js';
import { useStationStore } from '../store/store.js';

/** A polygon needs three corners. */
const MIN_CORNERS = 3;
/** Zoom change per wheel notch over the drawing layer (the map's own wheel zoom is covered). */
const WHEEL_ZOOM_STEP = 0.5;

/**
 * Drawing a keep-out zone: while the draft is open, a transparent layer over the map takes the
 * clicks (so sections beneath are not dragged) and each click adds a corner; the wheel still
 * zooms. From the keyboard,
 * the arrow keys pan the map and "Add corner at centre" drops one under the crosshair. Enter or
 * Done sends the zone; Esc cancels (Shift+Esc stays the fleet stop).
 */
export function ZoneDrawTool({ map }: { map: L.Map | null }) {
  const corners = useStationStore((s) => s.zoneDraft);
  const addCorner = useStationStore((s) => s.addZoneCorner);
  const undoCorner = useStationStore((s) => s.undoZoneCorner);
  const end = useStationStore((s) => s.endZoneDraft);
  const zoneCount = useStationStore((s) => s.snapshot?.zones.length ?? 0);
  const [name, setName] = useState('');
  const [sending, setSending] = useState(false);
  const drawing = corners !== null;
  const count = corners?.length ?? 0;
  const ready = count >= MIN_CORNERS && !sending;

  const finish = async (): Promise<void> => {
    if (!corners || corners.length < MIN_CORNERS) return;
    setSending(true);
    const result = await addZone(name.trim() || `Keep-out ${zoneCount + 1}`, corners);
    setSending(false);
    if (result.ok) {
      setName('');
      end();
    }
  };

  useEffect(() => {
    if (!drawing) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && !event.shiftKey) {
        event.preventDefault();
        end();
      } else if (event.key === 'Enter' && ready) {
        const target = event.target as HTMLElement | null;
        if (target?.tagName === 'BUTTON') return; // the focused button's own action wins
        event.preventDefault();
        void finish();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!drawing) return null;

  const onOverlayClick = (event: MouseEvent<HTMLDivElement>): void => {
    if (!map) return;
    const at = map.mouseEventToLatLng(event.nativeEvent);
    addCorner([at.lng, at.lat]);
  };
  const onOverlayWheel = (event: WheelEvent<HTMLDivElement>): void => {
    if (!map || event.deltaY === 0) return;
    const step = event.deltaY < 0 ? WHEEL_ZOOM_STEP : -WHEEL_ZOOM_STEP;
    map.setZoomAround(map.mouseEventToContainerPoint(event.nativeEvent), map.getZoom() + step);
  };
  const addAtCentre = (): void => {
    if (!map) return;
    const at = map.getCenter();
    addCorner([at.lng, at.lat]);
  };

  return (
    <>
      <div
        className="zone-draw__overlay"
        data-testid="zone-draw-overlay"
        aria-hidden="true"
        onClick={onOverlayClick}
        onWheel={onOverlayWheel}
      />
      <div className="zone-draw__crosshair" aria-hidden="true" />
      <div className="zone-draw__bar" role="group" aria-label="Draw keep-out zone">
        <p className="zone-draw__hint" role="status">
          {count < MIN_CORNERS
            ? `Click the map to add corners (${count} of at least ${MIN_CORNERS})`
            : `${count} corners — Enter or Done to add the zone`}
        </p>
        <label className="zone-draw__name">
          Name{' '}
          <input
            type="text"
            value={name}
            maxLength={80}
            placeholder={`Keep-out ${zoneCount + 1}`}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <button type="button" onClick={addAtCentre}>
          Add corner at centre
        </button>
        <button type="button" disabled={count === 0} onClick={undoCorner}>
          Undo corner
        </button>
        <button
          type="button"
          className="zone-draw__done"
          disabled={!ready}
          onClick={() => void finish()}
        >
          Done
        </button>
        <button type="button" onClick={end}>
          Cancel
        </button>
      </div>
    </>
  );
}
