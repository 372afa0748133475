import { beforeEach, describe, expect, it } from 'vitest';
import type { Command, CommandResult, StationSnapshot } from '../../shared/index.js';
import { useStationStore } from '../store/store.js';
import { moveSectionsConfirmed, runJob, setFleetMode } from './group-commands.js';
import { confirmGroup, onGroupRequest, type GroupRequest } from './group-confirm.js';

function snapshot(): StationSnapshot {
  const tractor = (id: string, name: string) => ({ id, name }) as StationSnapshot['tractors'][0];
  const section = (id: string, tractorId: string) =>
    ({ id, tractorId }) as StationSnapshot['sections'][0];
  return {
    tractors: [tractor('t1', 'Tractor 1'), tractor('t2', 'Tractor 2'), tractor('t3', 'Tractor 3')],
    sections: [section('S1', 't1'), section('S2', 't2'), section('S3', 't1')],
  } as StationSnapshot;
}

function recordingSend() {
  const sent: Command[] = [];
  const send = (command: Command): Promise<CommandResult> => {
    sent.push(command);
    return Promise.resolve({ ok: true });
  };
  return { send, sent };
}

/** What each confirmation asked, answered with `answer` as the dialog would. */
let asked: GroupRequest[] = [];
let answer = true;

beforeEach(() => {
  useStationStore.setState({
    snapshot: snapshot(),
    notices: [],
    lastMove: null,
    pendingMove: null,
    rolledBack: null,
  });
  asked = [];
  answer = true;
});

async function withAnswer(run: () => Promise<void>): Promise<void> {
  const unsubscribe = onGroupRequest((request) => {
    asked.push({
      action: request.action,
      machines: request.machines,
      confirmLabel: request.confirmLabel,
    });
    request.answer(answer);
  });
  try {
    await run();
  } finally {
    unsubscribe();
  }
}

describe('group commands list the machines they reach before they act', () => {
  it('a fleet-wide mode change names every tractor and is sent only when confirmed', async () => {
    const { send, sent } = recordingSend();
    answer = false;
    await withAnswer(() => setFleetMode('supervised', send));
    expect(asked[0]?.machines).toEqual(['Tractor 1', 'Tractor 2', 'Tractor 3']);
    expect(sent).toEqual([]);
    answer = true;
    await withAnswer(() => setFleetMode('supervised', send));
    expect(sent).toEqual([{ type: 'setMode', mode: 'supervised' }]);
  });

  it('starting the job names every tractor', async () => {
    const { send, sent } = recordingSend();
    await withAnswer(() => runJob('startJob', send));
    expect(asked[0]).toMatchObject({ action: 'Start the job', confirmLabel: 'Start job' });
    expect(asked[0]?.machines).toHaveLength(3);
    expect(sent).toEqual([{ type: 'startJob' }]);
  });

  it('a move of several sections names the taker and every giver, once each', async () => {
    const { send, sent } = recordingSend();
    await withAnswer(() => moveSectionsConfirmed(['S1', 'S2', 'S3'], 't3', send));
    expect(asked[0]?.machines).toEqual(['Tractor 3', 'Tractor 1', 'Tractor 2']);
    expect(sent).toEqual([
      { type: 'assignSections', sectionIds: ['S1', 'S2', 'S3'], tractorId: 't3' },
    ]);
  });

  it('a move of one section goes at once', async () => {
    const { send, sent } = recordingSend();
    await withAnswer(() => moveSectionsConfirmed(['S2'], 't3', send));
    expect(asked).toEqual([]);
    expect(sent).toEqual([{ type: 'assignSections', sectionIds: ['S2'], tractorId: 't3' }]);
  });

  it('a newer question cancels the one still open', async () => {
    const first = confirmGroup({ action: 'a', machines: ['x'], confirmLabel: 'A' });
    let n = 0;
    // The first question is already open; answer only the second.
    const off = onGroupRequest((request) => {
      if (++n === 1) request.answer(true);
    });
    const second = confirmGroup({ action: 'b', machines: ['y'], confirmLabel: 'B' });
    expect(await first).toBe(false);
    expect(await second).toBe(true);
    off();
  });
});
