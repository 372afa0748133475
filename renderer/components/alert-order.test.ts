import { describe, expect, it } from 'vitest';
import type { AlertSnapshot, Severity } from '../../shared/index.js';
import { countBySeverity, describeCounts, openAlerts } from './alert-order.js';

const alert = (
  id: string,
  severity: Severity,
  atWallMs: number,
  acknowledged = false,
): AlertSnapshot => ({ id, severity, atWallMs, acknowledged, source: 's', message: id });

describe('the alerts to acknowledge', () => {
  it('come most severe first, then newest first, acknowledged ones left out', () => {
    const list = [
      alert('old-critical', 'critical', 1),
      alert('info-1', 'info', 5),
      alert('warning', 'warning', 3),
      alert('new-critical', 'critical', 4),
      alert('info-2', 'info', 6),
      alert('done', 'critical', 7, true),
    ];
    expect(openAlerts(list).map((a) => a.id)).toEqual([
      'new-critical',
      'old-critical',
      'warning',
      'info-2',
      'info-1',
    ]);
  });

  it('are counted by severity', () => {
    const counts = countBySeverity([
      alert('a', 'info', 1),
      alert('b', 'info', 2),
      alert('c', 'warning', 3),
    ]);
    expect(counts).toEqual({ critical: 0, warning: 1, info: 2 });
    expect(describeCounts(counts)).toBe('1 warning, 2 info');
  });
});
