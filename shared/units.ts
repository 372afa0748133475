/** Unit conversions shared by the core and the UI. Names carry their units (STYLE.md). */
export const M2_PER_HA = 10_000;
export const M2_PER_ACRE = 4_046.856_422_4;
export const MPS_PER_KMH = 1 / 3.6;
export const MPS_PER_MPH = 0.447_04;

export const haFromM2 = (areaM2: number): number => areaM2 / M2_PER_HA;
export const acresFromHa = (areaHa: number): number => (areaHa * M2_PER_HA) / M2_PER_ACRE;
export const kmhFromMps = (speedMps: number): number => speedMps / MPS_PER_KMH;
export const mphFromMps = (speedMps: number): number => speedMps / MPS_PER_MPH;
