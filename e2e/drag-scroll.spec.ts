/**
 * The fleet list scrolls by itself while a section is dragged near its edges
 * (renderer/drag/edge-scroll.ts), so a machine out of view can be reached without letting go.
 * 20 machines fit the list at 1366 × 768 without scrolling (fleet-glance.spec.ts), and a
 * shorter window 1366 wide still leaves only a row or two out of view: this runs on a small
 * screen, 1024 × 600, where the list has two columns and most of its rows to scroll to.
 */
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { sectionLabel, type StationSnapshot } from '../shared/index.js';
import { openCard } from './fixtures/fleet.js';
import { SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

const TRACTORS = 20;
/** Inside the list's edge band (40 px deep), short of its very edge. */
const NEAR_EDGE_PX = 10;

test.use({ simTractors: TRACTORS, viewport: { width: 1024, height: 600 } });

async function state(page: Page, url: string): Promise<StationSnapshot> {
  return (await (await page.request.get(`${url}/api/state`)).json()) as StationSnapshot;
}

async function holderOf(page: Page, url: string, sectionId: string): Promise<string | null> {
  return (await state(page, url)).sections.find((s) => s.id === sectionId)?.tractorId ?? null;
}

function scrollTop(list: Locator): Promise<number> {
  return list.evaluate((el) => el.scrollTop);
}

/** Every scrollTop the list takes from now on, in order. */
async function recordScrolls(list: Locator): Promise<() => Promise<number[]>> {
  await list.evaluate((el) => {
    const seen: number[] = [];
    (el as HTMLElement & { scrolls?: number[] }).scrolls = seen;
    el.addEventListener('scroll', () => seen.push(el.scrollTop));
  });
  return () =>
    list.evaluate((el) => {
      const seen = (el as HTMLElement & { scrolls?: number[] }).scrolls!;
      return seen.splice(0);
    });
}

/** The list moved there in several steps, each one the same way: it scrolled, not jumped. */
function expectSteps(seen: number[], direction: 1 | -1): void {
  expect(seen.length, `scroll steps ${seen.join(', ')}`).toBeGreaterThanOrEqual(3);
  for (let i = 1; i < seen.length; i++)
    expect(Math.sign(seen[i]! - seen[i - 1]!), `scroll steps ${seen.join(', ')}`).toBe(direction);
}

test('a dragged section held near the fleet list’s edges scrolls it, and drops on a machine scrolled into view', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  await expect(page.getByTestId('tractor-marker')).toHaveCount(TRACTORS);
  const list = page.getByRole('region', { name: 'Fleet' }).getByRole('list');
  const box = (await list.boundingBox())!;
  const end = await list.evaluate((el) => el.scrollHeight - el.clientHeight);
  expect(end, 'the fleet list has rows out of view').toBeGreaterThan(200);
  expect(await scrollTop(list)).toBe(0);
  // The last machine's row starts below the list's visible box.
  const last = page.getByTestId('tractor-card-sim-20');
  expect((await last.boundingBox())!.y).toBeGreaterThan(box.y + box.height);

  const sectionId = (await state(page, station.url)).tractors
    .find((t) => t.id === 'sim-01')!
    .sectionIds.at(-1)!;
  const chip = (await openCard(page, 'sim-01')).locator(`[data-section-id="${sectionId}"]`);
  await chip.scrollIntoViewIfNeeded();
  const from = (await chip.boundingBox())!;
  const scrolls = await recordScrolls(list);

  const x = box.x + box.width / 2;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(x, box.y + box.height - NEAR_EDGE_PX, { steps: 12 });
  await expect(page.getByTestId('drag-ghost')).toContainText(`Moving ${sectionLabel(sectionId)}`);
  // Held still near the bottom edge: the list scrolls down to its end and stays there.
  await expect.poll(() => scrollTop(list)).toBe(end);
  expectSteps(await scrolls(), 1);
  await expect(last).toBeInViewport();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'drag-scroll-bottom.png') });

  // Near the top edge it goes back to the start.
  await page.mouse.move(x, box.y + NEAR_EDGE_PX, { steps: 4 });
  await expect.poll(() => scrollTop(list)).toBe(0);
  expectSteps(await scrolls(), -1);
  await expect(last).not.toBeInViewport();

  // Down again, and onto the last machine once it is in view.
  await page.mouse.move(x, box.y + box.height - NEAR_EDGE_PX, { steps: 4 });
  await expect.poll(() => scrollTop(list)).toBe(end);
  const to = (await last.boundingBox())!;
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 4 });
  await expect(page.getByTestId('drop-effect-sim-20')).toContainText('Can take');
  await page.mouse.up();

  await expect.poll(() => holderOf(page, station.url, sectionId)).toBe('sim-20');
});
