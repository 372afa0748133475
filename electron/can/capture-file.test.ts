import { mkdtempSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { CaptureFormatError, openCaptureFile, tapLink } from './capture-file.js';
import { parseCandumpLog } from './candump-log.js';
import { readPcapngFrames } from './pcapng-reader.js';
import { VirtualBus } from './virtual-bus.js';
import { extFrame } from './test-helpers/frames.js';

const dir = mkdtempSync(join(tmpdir(), 'headland-capture-'));

async function captureBoth(path: string): Promise<void> {
  const clock = new ManualClock();
  const bus = new VirtualBus({ clock });
  const me = bus.createNode('me');
  const other = bus.createNode('other');
  await me.open();
  await other.open();
  const sink = openCaptureFile(path);
  const untap = tapLink(me, (f) => sink.frame(f));
  me.send(extFrame(0x18eeff10, 1));
  other.send(extFrame(0x18eeff20, 2));
  clock.advance(5);
  untap();
  other.send(extFrame(0x18eeff20, 3)); // after untap: not recorded
  clock.advance(5);
  await sink.close();
}

describe('capture files', () => {
  it('records what a link sends and receives as a candump log', async () => {
    const path = join(dir, 'c.log');
    await captureBoth(path);
    const ids = parseCandumpLog(readFileSync(path, 'utf8')).map((r) => r.frame.id);
    expect(ids.sort()).toEqual([0x18eeff10, 0x18eeff20]);
  });

  it('records the same as pcapng', async () => {
    const path = join(dir, 'c.pcapng');
    await captureBoth(path);
    expect(
      readPcapngFrames(readFileSync(path))
        .map((f) => f.data[0])
        .sort(),
    ).toEqual([1, 2]);
  });

  it('writes a batch as soon as enough waits, without waiting for close', async () => {
    const path = join(dir, 'big.log');
    const sink = openCaptureFile(path);
    for (let i = 0; i < 4000; i++) sink.frame(extFrame(0x18eeff10, i & 0xff));
    // 4000 candump lines are far beyond one batch: most are on disk before close.
    expect(statSync(path).size).toBeGreaterThan(32 * 1024);
    await sink.close();
    expect(parseCandumpLog(readFileSync(path, 'utf8'))).toHaveLength(4000);
  });

  it('stops capturing with a clear error when the disk refuses, and never throws at the bus', async () => {
    const path = join(dir, 'full.log');
    symlinkSync('/dev/full', path);
    const errors: string[] = [];
    const sink = openCaptureFile(path, { onError: (message) => errors.push(message) });
    expect(() => {
      for (let i = 0; i < 4000; i++) sink.frame(extFrame(0x18eeff10, 1));
    }).not.toThrow();
    await sink.close();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/full\.log: .*ENOSPC.*writing stopped/);
  });

  it('refuses other file types', () => {
    expect(() => openCaptureFile(join(dir, 'c.txt'))).toThrow(CaptureFormatError);
  });
});
