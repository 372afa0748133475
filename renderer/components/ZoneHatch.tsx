import { UNWORKED_HATCH_ID } from '../map/use-sections-layer.js';
import { ZONE_HATCH_ID } from '../map/use-zones-layer.js';

/**
 * The diagonal hatches keep-out zones (red on white) and ground left unworked (black on amber,
 * the other way) are filled with, defined once in the page so the map's SVG
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
        <pattern
          id={UNWORKED_HATCH_ID}
          patternUnits="userSpaceOnUse"
          width="10"
          height="10"
          patternTransform="rotate(-45)"
        >
          <rect width="10" height="10" fill="#f2a900" fillOpacity="0.7" />
          <rect width="4" height="10" fill="#1a1a1a" fillOpacity="0.85" />
        </pattern>
      </defs>
    </svg>
  );
}
