/** Counters both fleet-link ports keep (delivered messages and what they had to drop). */
export interface PortCounters {
  delivered: number;
  badBodies: number;
  unknownRefs: number;
  refused: number;
  unaddressed: number;
}

export function newCounters(): PortCounters {
  return { delivered: 0, badBodies: 0, unknownRefs: 0, refused: 0, unaddressed: 0 };
}
