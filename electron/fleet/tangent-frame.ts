import type { LonLat, XY } from './types.js';

/**
 * A local tangent plane (east-north-up) at an origin on the WGS84 ellipsoid: geodetic -> ECEF ->
 * ENU (e.g. Hofmann-Wellenhof, GNSS, §10.2.2). Across a field of a few km the plane departs from the
 * ellipsoid by under 1e-7 in scale, far inside the 0.1% area goal.
 */
const WGS84_A_M = 6378137; // semi-major axis, NIMA TR8350.2 §3.2
const WGS84_F = 1 / 298.257223563; // flattening, NIMA TR8350.2 §3.2
const WGS84_E2 = WGS84_F * (2 - WGS84_F);
const DEG = Math.PI / 180;
/** Inverse projection iterations; each one reduces the height error by ~(d/R)^2, 4 is plenty. */
const INVERSE_ITERATIONS = 4;

type Vec3 = [number, number, number];

function geodeticToEcef(lonDeg: number, latDeg: number, hM: number): Vec3 {
  const lat = latDeg * DEG;
  const lon = lonDeg * DEG;
  const sinLat = Math.sin(lat);
  const n = WGS84_A_M / Math.sqrt(1 - WGS84_E2 * sinLat * sinLat);
  return [
    (n + hM) * Math.cos(lat) * Math.cos(lon),
    (n + hM) * Math.cos(lat) * Math.sin(lon),
    (n * (1 - WGS84_E2) + hM) * sinLat,
  ];
}

function ecefToGeodetic(p: Vec3): { lonDeg: number; latDeg: number; hM: number } {
  const [x, y, z] = p;
  const rho = Math.hypot(x, y);
  let lat = Math.atan2(z, rho * (1 - WGS84_E2));
  let h = 0;
  for (let i = 0; i < 6; i++) {
    const sinLat = Math.sin(lat);
    const n = WGS84_A_M / Math.sqrt(1 - WGS84_E2 * sinLat * sinLat);
    h = rho / Math.cos(lat) - n;
    lat = Math.atan2(z, rho * (1 - (WGS84_E2 * n) / (n + h)));
  }
  return { lonDeg: Math.atan2(y, x) / DEG, latDeg: lat / DEG, hM: h };
}

/** Plain-data description of a frame, so a plan can carry it across the contract. */
export interface FrameOrigin {
  lon: number;
  lat: number;
}

export class TangentFrame {
  private readonly o: Vec3;
  private readonly sinLat: number;
  private readonly cosLat: number;
  private readonly sinLon: number;
  private readonly cosLon: number;

  constructor(readonly origin: FrameOrigin) {
    this.o = geodeticToEcef(origin.lon, origin.lat, 0);
    this.sinLat = Math.sin(origin.lat * DEG);
    this.cosLat = Math.cos(origin.lat * DEG);
    this.sinLon = Math.sin(origin.lon * DEG);
    this.cosLon = Math.cos(origin.lon * DEG);
  }

  /** WGS84 [lon, lat] on the ellipsoid surface -> local [east, north] metres. */
  toLocal(p: LonLat): XY {
    const [x, y, z] = geodeticToEcef(p[0], p[1], 0);
    const dx = x - this.o[0];
    const dy = y - this.o[1];
    const dz = z - this.o[2];
    const e = -this.sinLon * dx + this.cosLon * dy;
    const n = -this.sinLat * this.cosLon * dx - this.sinLat * this.sinLon * dy + this.cosLat * dz;
    return [e, n];
  }

  /** Local [east, north] metres -> the WGS84 point on the ellipsoid below it. */
  toLonLat(p: XY): LonLat {
    let u = 0;
    let result: LonLat = [this.origin.lon, this.origin.lat];
    for (let i = 0; i < INVERSE_ITERATIONS; i++) {
      const ecef = this.enuToEcef(p[0], p[1], u);
      const g = ecefToGeodetic(ecef);
      result = [g.lonDeg, g.latDeg];
      u -= g.hM;
    }
    return result;
  }

  private enuToEcef(e: number, n: number, u: number): Vec3 {
    const { sinLat, cosLat, sinLon, cosLon } = this;
    return [
      this.o[0] - sinLon * e - sinLat * cosLon * n + cosLat * cosLon * u,
      this.o[1] + cosLon * e - sinLat * sinLon * n + cosLat * sinLon * u,
      this.o[2] + cosLat * n + sinLat * u,
    ];
  }
}

/** A frame centred on the mean vertex of the outer ring (close enough to the centroid for scale). */
export function frameForRing(ring: readonly LonLat[]): TangentFrame {
  let lon = 0;
  let lat = 0;
  for (const [x, y] of ring) {
    lon += x;
    lat += y;
  }
  const n = Math.max(1, ring.length);
  return new TangentFrame({ lon: lon / n, lat: lat / n });
}
