import { describe, expect, it } from 'vitest';
import { EventJournal, JOURNAL_LINES } from './event-journal.js';

function journal(): EventJournal {
  let wall = 1_000;
  const names: Record<string, string> = { 'sim-01': 'Tractor 1', 'sim-02': 'Tractor 2' };
  return new EventJournal({
    wallNow: () => wall++,
    nameOf: (id) => names[id] ?? id,
    tractorIds: () => Object.keys(names),
  });
}

describe('the event log', () => {
  it('logs commands with who gave them and how they ended', () => {
    const log = journal();
    log.command({ type: 'tractorStop', tractorId: 'sim-02' }, 'ana (operator)', { ok: true });
    log.command(
      { type: 'openField', fileName: 'pond.geojson', dataBase64: 'e30=' },
      'ana (operator)',
      {
        ok: false,
        error: { code: 'invalid', message: 'pond.geojson is empty' },
      },
    );
    expect(log.list().map((l) => [l.kind, l.severity, l.actor, l.text])).toEqual([
      ['command', 'info', 'ana (operator)', 'stop Tractor 2'],
      [
        'command',
        'warning',
        'ana (operator)',
        'open field file pond.geojson — refused: pond.geojson is empty',
      ],
    ]);
  });

  it('logs safety events and alerts with machines named, and a toast that repeats an alert once', () => {
    const log = journal();
    log.audit({
      kind: 'stop',
      actor: 'viewer (viewer)',
      subject: 'stop-1',
      detail: 'scope fleet: sim-01, sim-02',
    });
    log.audit({
      kind: 'confirm',
      actor: 'sim-01',
      subject: 'stop-1',
      detail: 'confirmed stopped after 72 ms',
    });
    log.audit({
      kind: 'alert',
      actor: 'sim-02',
      subject: 'alert-1',
      detail: 'critical: sim-02 stopped itself',
    });
    log.notice('critical', 'sim-02 stopped itself');
    log.notice('info', 'Fleet stop sent');
    expect(log.list().map((l) => [l.kind, l.severity, l.actor, l.text])).toEqual([
      ['stop', 'critical', 'viewer (viewer)', 'scope fleet: Tractor 1, Tractor 2 (stop-1)'],
      ['confirm', 'info', 'Tractor 1', 'confirmed stopped after 72 ms (stop-1)'],
      ['alert', 'critical', 'Tractor 2', 'Tractor 2 stopped itself'],
      ['notice', 'info', 'station', 'Fleet stop sent'],
    ]);
    expect(log.list().map((l) => l.seq)).toEqual([0, 1, 2, 3]);
  });

  it('keeps the latest lines and the same list until one is added', () => {
    const log = journal();
    for (let i = 0; i < JOURNAL_LINES + 5; i++) log.note('export', 'info', 'page', `export ${i}`);
    const list = log.list();
    expect(list).toHaveLength(JOURNAL_LINES);
    expect(list[0]?.text).toBe('export 5');
    expect(log.list()).toBe(list);
  });
});
