import polygonClipping from 'polygon-clipping';
import type { LocalPolygon, XY } from './types.js';

/**
 * Boolean operations through polygon-clipping (Martinez-Rueda et al. 2009 sweep line). Rings
 * come back closed; these wrappers reopen them so the rest of the library sees open rings.
 */
type Geom = polygonClipping.Polygon | polygonClipping.MultiPolygon;

function toGeom(polys: readonly LocalPolygon[]): polygonClipping.MultiPolygon {
  return polys.map((poly) => poly.map((ring) => ring.map((p): [number, number] => [p[0], p[1]])));
}

function fromGeom(mp: polygonClipping.MultiPolygon): LocalPolygon[] {
  return mp.map((poly) =>
    poly.map((ring) => ring.slice(0, ring.length - 1).map((p): XY => [p[0], p[1]])),
  );
}

export function intersect(a: readonly LocalPolygon[], b: readonly LocalPolygon[]): LocalPolygon[] {
  if (a.length === 0 || b.length === 0) return [];
  return fromGeom(polygonClipping.intersection(toGeom(a), toGeom(b)));
}

export function subtract(a: readonly LocalPolygon[], b: readonly LocalPolygon[]): LocalPolygon[] {
  if (a.length === 0) return [];
  if (b.length === 0) return a.map((p) => p.map((r) => [...r]));
  return fromGeom(polygonClipping.difference(toGeom(a), toGeom(b)));
}

export function unite(polys: readonly LocalPolygon[]): LocalPolygon[] {
  const [first, ...rest] = toGeom(polys);
  if (!first) return [];
  return fromGeom(polygonClipping.union(first, ...(rest as Geom[])));
}

export function rect(x0: number, y0: number, x1: number, y1: number): LocalPolygon {
  return [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
    ],
  ];
}
