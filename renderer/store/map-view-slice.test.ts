import { beforeEach, describe, expect, it } from 'vitest';
import { useStationStore } from './store.js';

describe('drawing a keep-out zone', () => {
  beforeEach(() => useStationStore.getState().endZoneDraft());

  it('collects corners only while a draft is open', () => {
    const store = useStationStore.getState;
    store().addZoneCorner([1, 2]);
    expect(store().zoneDraft).toBeNull();
    store().startZoneDraft();
    store().addZoneCorner([1, 2]);
    store().addZoneCorner([3, 4]);
    store().addZoneCorner([5, 6]);
    expect(store().zoneDraft).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('undoes the last corner and cancels the whole draft', () => {
    const store = useStationStore.getState;
    store().startZoneDraft();
    store().addZoneCorner([1, 2]);
    store().addZoneCorner([3, 4]);
    store().undoZoneCorner();
    expect(store().zoneDraft).toEqual([[1, 2]]);
    store().endZoneDraft();
    expect(store().zoneDraft).toBeNull();
  });

  it('toggles the zones layer like the others', () => {
    const store = useStationStore.getState;
    expect(store().layers.zones).toBe(true);
    store().toggleLayer('zones');
    expect(store().layers.zones).toBe(false);
    store().toggleLayer('zones');
    expect(store().layers.zones).toBe(true);
  });
});
