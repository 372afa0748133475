/** Stable empty values for selectors: a fresh `[]` per call would re-render forever. */
export const EMPTY_LIST: readonly never[] = Object.freeze([]);
