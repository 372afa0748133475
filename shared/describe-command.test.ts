import { describe, expect, it } from 'vitest';
import { describeCommand } from './describe-command.js';

const nameOf = (id: string): string => ({ 'sim-01': 'Tractor 1', 'sim-02': 'Tractor 2' })[id] ?? id;

describe('commands in words', () => {
  it('name machines and sections as people read them', () => {
    expect(describeCommand({ type: 'tractorStop', tractorId: 'sim-02' }, nameOf)).toBe(
      'stop Tractor 2',
    );
    expect(
      describeCommand(
        { type: 'assignSections', sectionIds: ['S0012', 'S0013'], tractorId: 'sim-01' },
        nameOf,
      ),
    ).toBe('move S12, S13 to Tractor 1');
    expect(describeCommand({ type: 'release', tractorIds: ['sim-01', 'sim-02'] }, nameOf)).toBe(
      'release Tractor 1, Tractor 2',
    );
    expect(describeCommand({ type: 'setMode', mode: 'manual' }, nameOf)).toBe(
      'switch the fleet to manual',
    );
  });

  it('reads what a recording kept of a command', () => {
    expect(describeCommand({ type: 'openField', fileName: 'pond.geojson' }, nameOf)).toBe(
      'open field file pond.geojson',
    );
    expect(describeCommand({ type: 'somethingNew' }, nameOf)).toBe('somethingNew');
  });
});
