import type { PointerEvent } from 'react';
import { sectionLabel } from '../../shared/index.js';
import { useStationStore } from '../store/store.js';
import { pressSection } from '../drag/section-drag.js';

/**
 * A tractor's sections as chips: press and drag one onto another tractor, or click (Enter or
 * Space from the keyboard) to select it for the Move bar.
 */
export function SectionChips({ sectionIds }: { sectionIds: readonly string[] }) {
  const selected = useStationStore((s) => s.selectedSectionIds);
  const select = useStationStore((s) => s.selectSection);
  const pending = useStationStore((s) => s.pendingMove?.sectionIds);
  const rolledBack = useStationStore((s) => s.rolledBack);
  const onPointerDown = (id: string) => (event: PointerEvent<HTMLButtonElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    pressSection(id, { x: event.clientX, y: event.clientY, additive: true });
  };
  return (
    <ul className="section-chips" aria-label="Sections">
      {sectionIds.map((id) => (
        <li key={id}>
          <button
            type="button"
            className={`section-chip${selected.includes(id) ? ' section-chip--selected' : ''}${pending?.includes(id) ? ' section-chip--moving' : ''}${rolledBack?.sectionIds.includes(id) ? ' section-chip--rolled-back' : ''}`}
            aria-pressed={selected.includes(id)}
            data-section-id={id}
            onPointerDown={onPointerDown(id)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                select(id, true);
              }
            }}
          >
            {sectionLabel(id)}
          </button>
        </li>
      ))}
    </ul>
  );
}
