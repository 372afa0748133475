import { useEffect, useMemo, useRef } from 'react';

/**
 * Leaflet objects kept per item id across renders (zustand + react-leaflet habit: create once,
 * update in place, remove what disappeared, remove everything when the map goes).
 */
export interface KeyedLayers<E> {
  /** Brings the entries in line with `items`: creates the new, updates all, removes the gone. */
  sync<T>(
    items: readonly T[],
    idOf: (item: T) => string | null,
    create: (item: T) => E,
    update: (entry: E, item: T) => void,
  ): void;
}

export function useKeyedLayers<E>(map: unknown, remove: (entry: E) => void): KeyedLayers<E> {
  const entries = useRef(new Map<string, E>());
  const removeRef = useRef(remove);

  useEffect(() => {
    const current = entries.current;
    const removeEntry = removeRef.current;
    return () => {
      for (const entry of current.values()) removeEntry(entry);
      current.clear();
    };
  }, [map]);

  return useMemo<KeyedLayers<E>>(
    () => ({
      sync(items, idOf, create, update) {
        const current = entries.current;
        const seen = new Set<string>();
        for (const item of items) {
          const id = idOf(item);
          if (id === null) continue;
          seen.add(id);
          let entry = current.get(id);
          if (entry === undefined) {
            entry = create(item);
            current.set(id, entry);
          }
          update(entry, item);
        }
        for (const [id, entry] of current) {
          if (!seen.has(id)) {
            removeRef.current(entry);
            current.delete(id);
          }
        }
      },
    }),
    [],
  );
}
