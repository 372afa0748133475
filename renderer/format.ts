/** Display formatting for the operator (metric for now; the units setting comes with the UI issue). */
export function formatHa(areaHa: number): string {
  return `${areaHa.toFixed(2)} ha`;
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
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(s).padStart(2, '0')} s`;
}

export function formatSpeedKmh(speedMps: number): string {
  return `${(speedMps * 3.6).toFixed(1)} km/h`;
}
