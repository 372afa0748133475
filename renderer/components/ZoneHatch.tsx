import { ZONE_HATCH_ID } from '../map/use-zones-layer.js';

/**
 * The diagonal hatch keep-out zones are filled with, defined once in the page so the map's SVG
 * zone layer can refer to it by id. Zero-sized rather than `display: none`, which would stop
 * some engines from painting the pattern.
 */
export function ZoneHatch() {
  return (
    <svg className="zone-hatch-defs" width="0" height="0" aria-hidden="true" focusable="false">
      <defs>
        <pattern
          id={ZONE_HATCH_ID}
          patternUnits="userSpaceOnUse"
          width="12"
          height="12"
          patternTransform="rotate(45)"
        >
          <rect width="12" height="12" fill="#ffffff" fillOpacity="0.55" />
          <rect width="5" height="12" fill="#c8102e" fillOpacity="0.85" />
        </pattern>
      </defs>
    </svg>
  );
}
