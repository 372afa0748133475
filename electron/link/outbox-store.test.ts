import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileOutboxStore, type StoredMessage } from './outbox-store.js';
import { ManualClock, seededRandom } from '../time/index.js';
import { ReliableEngine } from './reliable-engine.js';
import { MSG } from './wire-format.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'headland-outbox-'));
  dirs.push(d);
  return d;
}

function message(n: number): StoredMessage {
  return {
    id: `m${n}`,
    serial: n,
    peer: 'sim-01',
    lane: 'control',
    type: MSG.START,
    body: Uint8Array.of(n),
    deadlineWallMs: 1e15,
    seq: undefined,
  };
}

describe('FileOutboxStore', () => {
  it('restores live messages, sequence numbers and the epoch after reopening', () => {
    const dir = tempDir();
    const a = new FileOutboxStore(dir, { fsync: false });
    a.load();
    a.setEpoch(42);
    for (let i = 0; i < 5; i++) a.put(message(i));
    a.assignSeq('m0', 'sim-01', 'control', 7);
    a.remove('m1', 'delivered');
    a.close();
    const b = new FileOutboxStore(dir, { fsync: false }).load();
    expect(b.epoch).toBe(42);
    expect(b.messages.map((m) => [m.id, m.seq])).toEqual([
      ['m0', 7],
      ['m2', undefined],
      ['m3', undefined],
      ['m4', undefined],
    ]);
    expect(b.nextSeq.get('sim-01\u0000control')).toBe(8);
    expect(b.nextSerial).toBe(5);
  });

  it('ignores a torn last line (a crash in the middle of a write) and damaged lines', () => {
    const dir = tempDir();
    const a = new FileOutboxStore(dir, { fsync: false });
    a.load();
    a.put(message(1));
    a.close();
    appendFileSync(join(dir, 'fleet-outbox.log'), '1234 {"t":"M","id":"m2"');
    const reopened = new FileOutboxStore(dir, { fsync: false });
    expect(reopened.load().messages.map((m) => m.id)).toEqual(['m1']);
    expect(reopened.skippedOnLoad).toBe(1);
    // A torn last line is what a crash leaves (or a cut): said, but no damage to hold for.
    expect(reopened.problem).toMatchObject({ hold: false });
    expect(reopened.problem?.message).toMatch(
      /ended in a torn record \(\d+ bytes: a crash while writing/,
    );
  });

  it('keeps a log damaged in the middle aside and names the message it lost', () => {
    const dir = tempDir();
    const a = new FileOutboxStore(dir, { fsync: false });
    a.load();
    a.put(message(1));
    a.put(message(2));
    a.assignSeq('m2', 'sim-01', 'control', 7);
    a.put(message(3));
    a.close();
    const file = join(dir, 'fleet-outbox.log');
    const lines = readFileSync(file, 'utf8').split('\n');
    const m2 = lines.findIndex((l) => l.includes('"id":"m2","n"'));
    lines[m2] = lines[m2]!.replace('"m2"', '"m9"'); // fails its CRC
    writeFileSync(file, lines.join('\n'));
    const reopened = new FileOutboxStore(dir, { fsync: false, wallNow: () => 42 });
    expect(reopened.load().messages.map((m) => m.id)).toEqual(['m1', 'm3']);
    expect(reopened.problem).toEqual({
      message: `fleet outbox had 1 damaged line(s) (kept at ${file}.corrupt-42); undelivered messages lost: m2`,
      hold: true,
    });
    expect(existsSync(`${file}.corrupt-42`)).toBe(true);
  });

  it('says an emptied log lost its messages', () => {
    const dir = tempDir();
    const a = new FileOutboxStore(dir, { fsync: false });
    a.load();
    a.put(message(1));
    a.close();
    writeFileSync(join(dir, 'fleet-outbox.log'), '');
    const reopened = new FileOutboxStore(dir, { fsync: false });
    reopened.load();
    expect(reopened.problem).toMatchObject({ hold: true });
    expect(reopened.problem?.message).toMatch(/was empty/);
  });

  it('compacts the log to its live records when most of it is dead', () => {
    const dir = tempDir();
    const store = new FileOutboxStore(dir, { fsync: false, compactAfterLines: 50 });
    store.load();
    for (let i = 0; i < 100; i++) {
      store.put(message(i));
      if (i < 95) store.remove(`m${i}`, 'delivered');
    }
    expect(store.lineCount()).toBeLessThan(60);
    store.close();
    expect(new FileOutboxStore(dir).load().messages.map((m) => m.id)).toEqual([
      'm95',
      'm96',
      'm97',
      'm98',
      'm99',
    ]);
    expect(readFileSync(join(dir, 'fleet-outbox.log'), 'utf8').split('\n').length).toBeLessThan(60);
  });

  it('lets a restarted engine resume the same epoch and numbering, so the peer sees duplicates, not new messages', () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const first = new ReliableEngine({
      clock,
      random: seededRandom(1),
      epoch: 9,
      store: new FileOutboxStore(dir, { fsync: false }),
      deliver: () => undefined,
    });
    first.setReachable('p', true);
    first.send('p', MSG.START, new Uint8Array());
    first.send('p', MSG.PAUSE, new Uint8Array());
    const sent = [first.nextFrame(), first.nextFrame()];
    expect(sent.every(Boolean)).toBe(true);
    first.close();
    const second = new ReliableEngine({
      clock,
      random: seededRandom(2),
      epoch: 200,
      store: new FileOutboxStore(dir, { fsync: false }),
      deliver: () => undefined,
    });
    second.setReachable('p', true);
    expect(second.epoch).toBe(9);
    const again = [second.nextFrame(), second.nextFrame()];
    expect(again.map((f) => f?.data)).toEqual(sent.map((f) => f?.data));
  });
});
