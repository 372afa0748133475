import { describe, expect, it } from 'vitest';
import type { AlertSnapshot, EventLogEntry } from '../../shared/index.js';
import { groupOf, liveLines, replayLines } from './event-lines.js';

const entry = (seq: number, kind: string, text: string): EventLogEntry => ({
  seq,
  atWallMs: 1_000 + seq,
  kind,
  severity: 'info',
  actor: 'ana (operator)',
  text,
});

describe('the lines of the Events tab', () => {
  it('list the live log newest first, after the alerts kept from before the station started', () => {
    const alerts = [
      {
        id: 'a-old',
        severity: 'critical',
        source: 'sim-01',
        message: 'old',
        atWallMs: 10,
        acknowledged: false,
      },
      {
        id: 'a-new',
        severity: 'info',
        source: 'station',
        message: 'new',
        atWallMs: 1_001,
        acknowledged: false,
      },
    ] as AlertSnapshot[];
    const lines = liveLines([entry(0, 'command', 'STOP ALL'), entry(1, 'alert', 'new')], alerts);
    expect(lines.map((l) => l.text)).toEqual(['new', 'STOP ALL', 'old']);
  });

  it('group commands, stops, alerts, modes, files and notices', () => {
    const group = (kind: string, text = '') => groupOf({ ...entry(0, kind, text), key: 'k' });
    expect(group('command', 'stop Tractor 2')).toBe('commands');
    expect(group('command', 'open field file pond.geojson')).toBe('files');
    expect(group('export')).toBe('files');
    expect(group('confirm')).toBe('stops');
    expect(group('release')).toBe('stops');
    expect(group('ack')).toBe('alerts');
    expect(group('mode-change')).toBe('modes');
    expect(group('notice')).toBe('notices');
  });

  it('read a replay the same way', () => {
    const lines = replayLines([
      {
        atMs: 1,
        atWallMs: 1,
        kind: 'command',
        actor: 'ana',
        subject: 'STOP ALL',
        detail: 'accepted',
      },
      {
        atMs: 2,
        atWallMs: 2,
        kind: 'stop',
        actor: 'ana',
        subject: 'stop-1',
        detail: 'scope fleet',
      },
    ]);
    expect(lines.map((l) => [l.kind, l.severity, l.text])).toEqual([
      ['stop', 'critical', 'scope fleet (stop-1)'],
      ['command', 'info', 'STOP ALL — accepted'],
    ]);
  });
});
