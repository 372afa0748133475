/**
 * Pointer handling shared by everything a section can be dragged from (map polygon, map label,
 * section chip): a press that moves more than DRAG_THRESHOLD_PX becomes a drag; one that does
 * not is a click that selects. Drop targets carry `data-drop-tractor`. A viewer's drag shows
 * that it cannot change the job and drops nothing; a list under the pointer scrolls by itself
 * near its edges (edge-scroll.ts).
 */
import { mayCommand } from '../../shared/index.js';
import { moveSectionsConfirmed } from '../bridge/group-commands.js';
import { useStationStore } from '../store/store.js';
import { EdgeScroller } from './edge-scroll.js';

const DRAG_THRESHOLD_PX = 6;
/** Set on <body> during a press: a drag must not select the page's text. */
const PRESSING_CLASS = 'section-pressing';

export function tractorUnder(x: number, y: number): string | null {
  const element = document.elementFromPoint(x, y);
  const target = element?.closest<HTMLElement>('[data-drop-tractor]');
  return target?.dataset.dropTractor ?? null;
}

/** Begins a press on a section; `onEnd` runs when the press or drag finishes. */
export function pressSection(
  sectionId: string,
  start: { x: number; y: number; additive: boolean },
  onEnd: () => void = () => undefined,
): void {
  let dragging = false;
  const role = useStationStore.getState().session?.role;
  // A viewer may select sections to look at them, never move them to another tractor.
  const viewOnly = role === undefined || !mayCommand(role, 'assignSections');
  const follow = (x: number, y: number): void => {
    const drag = useStationStore.getState().drag;
    if (drag)
      useStationStore
        .getState()
        .setDrag({ ...drag, x, y, overTractorId: viewOnly ? null : tractorUnder(x, y) });
  };
  const scroller = new EdgeScroller(follow);
  document.body.classList.add(PRESSING_CLASS);
  const move = (event: PointerEvent): void => {
    const store = useStationStore.getState();
    if (
      !dragging &&
      Math.hypot(event.clientX - start.x, event.clientY - start.y) < DRAG_THRESHOLD_PX
    )
      return;
    if (!dragging) {
      dragging = true;
      const selected = store.selectedSectionIds;
      const sectionIds = selected.includes(sectionId) ? selected : [sectionId];
      store.setDrag({
        sectionIds,
        x: event.clientX,
        y: event.clientY,
        overTractorId: null,
        viewOnly,
      });
      return;
    }
    follow(event.clientX, event.clientY);
    if (!viewOnly) scroller.update(event.clientX, event.clientY);
  };
  const end = (): void => {
    window.removeEventListener('pointermove', move);
    window.removeEventListener('pointerup', finish);
    window.removeEventListener('keydown', cancel);
    scroller.stop();
    document.body.classList.remove(PRESSING_CLASS);
    useStationStore.getState().setDrag(null);
    onEnd();
  };
  const finish = (event: PointerEvent): void => {
    const drag = useStationStore.getState().drag;
    end();
    if (!dragging) {
      useStationStore.getState().selectSection(sectionId, start.additive);
      return;
    }
    if (viewOnly) return;
    const target = tractorUnder(event.clientX, event.clientY);
    if (drag && target) void moveSectionsConfirmed(drag.sectionIds, target);
  };
  const cancel = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.shiftKey) return; // Shift+Esc is the fleet stop, never swallowed
    end();
  };
  window.addEventListener('pointermove', move);
  window.addEventListener('pointerup', finish);
  window.addEventListener('keydown', cancel);
}
