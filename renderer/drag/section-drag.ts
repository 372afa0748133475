/**
 * Pointer handling shared by everything a section can be dragged from (map polygon, map label,
 * section chip): a press that moves more than DRAG_THRESHOLD_PX becomes a drag; one that does
 * not is a click that selects. Drop targets carry `data-drop-tractor`.
 */
import { mayCommand } from '../../shared/index.js';
import { moveSectionsConfirmed } from '../bridge/group-commands.js';
import { useStationStore } from '../store/store.js';

const DRAG_THRESHOLD_PX = 6;

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
  const move = (event: PointerEvent): void => {
    const store = useStationStore.getState();
    // A viewer may select sections to look at them, never drag them to another tractor.
    const role = store.session?.role;
    if (!dragging && (role === undefined || !mayCommand(role, 'assignSections'))) return;
    if (
      !dragging &&
      Math.hypot(event.clientX - start.x, event.clientY - start.y) < DRAG_THRESHOLD_PX
    )
      return;
    if (!dragging) {
      dragging = true;
      const selected = store.selectedSectionIds;
      const sectionIds = selected.includes(sectionId) ? selected : [sectionId];
      store.setDrag({ sectionIds, x: event.clientX, y: event.clientY, overTractorId: null });
      return;
    }
    const drag = store.drag;
    if (drag)
      store.setDrag({
        ...drag,
        x: event.clientX,
        y: event.clientY,
        overTractorId: tractorUnder(event.clientX, event.clientY),
      });
  };
  const finish = (event: PointerEvent): void => {
    window.removeEventListener('pointermove', move);
    window.removeEventListener('pointerup', finish);
    window.removeEventListener('keydown', cancel);
    const store = useStationStore.getState();
    const drag = store.drag;
    store.setDrag(null);
    onEnd();
    if (!dragging) {
      store.selectSection(sectionId, start.additive);
      return;
    }
    const target = tractorUnder(event.clientX, event.clientY);
    if (drag && target) void moveSectionsConfirmed(drag.sectionIds, target);
  };
  const cancel = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.shiftKey) return; // Shift+Esc is the fleet stop, never swallowed
    window.removeEventListener('pointermove', move);
    window.removeEventListener('pointerup', finish);
    window.removeEventListener('keydown', cancel);
    useStationStore.getState().setDrag(null);
    onEnd();
  };
  window.addEventListener('pointermove', move);
  window.addEventListener('pointerup', finish);
  window.addEventListener('keydown', cancel);
}
