import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { HeldDocuments } from './held-documents.js';

function rig() {
  const clock = new ManualClock();
  const opened: string[] = [];
  const released: string[] = [];
  const held = new HeldDocuments({
    clock,
    idleMs: 30_000,
    log: () => undefined,
    open: (name) => {
      opened.push(name);
      return Promise.resolve({
        disconnect: () => {
          released.push(name);
          return Promise.resolve();
        },
      });
    },
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { clock, held, opened, released, settle };
}

describe('documents held open for the pages looking at them', () => {
  it('opens a document once however often it is asked for', () => {
    const { held, opened } = rig();
    held.hold('north/job-1');
    held.hold('north/job-1');
    held.hold('south/job-2');
    expect(opened).toEqual(['north/job-1', 'south/job-2']);
  });

  it('keeps a document a page goes on asking for and lets go of one nobody asked for', async () => {
    const { clock, held, released, settle } = rig();
    held.hold('north/job-1');
    held.hold('south/job-2');
    for (let s = 0; s < 40; s += 2) {
      clock.advance(2_000);
      held.hold('north/job-1');
    }
    await settle();
    expect(released).toEqual(['south/job-2']);
    expect(held.names()).toEqual(['north/job-1']);
    clock.advance(60_000);
    await settle();
    expect(released).toEqual(['south/job-2', 'north/job-1']);
  });

  it('lets go of everything when closed and opens nothing after', async () => {
    const { held, opened, released } = rig();
    held.hold('north/job-1');
    await held.close();
    held.hold('south/job-2');
    expect(released).toEqual(['north/job-1']);
    expect(opened).toEqual(['north/job-1']);
  });
});
