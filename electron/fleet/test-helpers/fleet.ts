import type { TractorCapability } from '../capability.js';

export function tractor(
  id: string,
  widthM: number,
  speedMps: number,
  efficiency = 1,
  implementType: TractorCapability['implementType'] = 'cultivator',
): TractorCapability {
  return {
    tractorId: id,
    implementType,
    workingWidthM: widthM,
    workingSpeedMps: speedMps,
    fieldEfficiency: efficiency,
  };
}

/** n sections of the given areas, in path order. */
export function sections(areas: number[]): { id: string; order: number; areaM2: number }[] {
  return areas.map((a, i) => ({ id: `S${i}`, order: i, areaM2: a }));
}
