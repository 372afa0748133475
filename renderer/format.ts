/** Display formatting for the operator, in the units the operator chose. */
import { acresFromHa, kmhFromMps, mphFromMps } from '../shared/index.js';
import type { Units } from './store/settings-slice.js';

export function formatArea(areaHa: number, units: Units): string {
  return units === 'imperial' ? `${acresFromHa(areaHa).toFixed(2)} ac` : `${areaHa.toFixed(2)} ha`;
}

export function formatSpeed(speedMps: number, units: Units): string {
  return units === 'imperial'
    ? `${mphFromMps(speedMps).toFixed(1)} mph`
    : `${kmhFromMps(speedMps).toFixed(1)} km/h`;
}

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0
    ? `${h} h ${String(m).padStart(2, '0')} min`
    : `${m} min ${String(s).padStart(2, '0')} s`;
}

export function formatClock(wallMs: number): string {
  return new Date(wallMs).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}
