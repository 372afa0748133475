/**
 * The whole fleet at a glance on a field laptop: 20 machines in the fleet list at 1366 × 768
 * with no scrolling, also while a stop and three alerts are shown, in both themes; no label
 * on the map hiding another where the machines crowd together, no notice over the map or the
 * stop panel, and neither the map nor the notices' place moving when the stop lands.
 */
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { StationSnapshot } from '../shared/index.js';
import { labelClashes } from './fixtures/map-labels.js';
import { SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

type Box = { x: number; y: number; width: number; height: number };

const TRACTORS = 20;
const IDS = Array.from({ length: TRACTORS }, (_, i) => `sim-${String(i + 1).padStart(2, '0')}`);

test.use({
  simTractors: TRACTORS,
  viewport: { width: 1366, height: 768 },
  // Three machines in trouble a few seconds in: two faults and a radio loss, each an alert.
  scenario: {
    faults: [
      { atS: 4, tractor: 'sim-03', kind: 'fail', reason: 'seed blockage' },
      { atS: 4, tractor: 'sim-11', kind: 'fail', reason: 'hydraulic pressure low' },
      { atS: 4, tractor: 'sim-17', kind: 'radio-off' },
    ],
  },
});

async function state(page: Page, url: string): Promise<StationSnapshot> {
  return (await (await page.request.get(`${url}/api/state`)).json()) as StationSnapshot;
}

/** Every row lies inside the list's visible box, and the list has nothing to scroll. */
async function expectWholeFleetVisible(page: Page): Promise<void> {
  const list = page.getByRole('region', { name: 'Fleet' }).getByRole('list');
  const box = (await list.boundingBox())!;
  const scroll = await list.evaluate((el) => ({ hidden: el.scrollHeight - el.clientHeight }));
  expect(scroll.hidden).toBeLessThanOrEqual(1);
  expect(box.y + box.height).toBeLessThanOrEqual(768);
  for (const id of IDS) {
    const row = (await page.getByTestId(`tractor-card-${id}`).boundingBox())!;
    expect(row.y).toBeGreaterThanOrEqual(box.y - 1);
    expect(row.y + row.height).toBeLessThanOrEqual(box.y + box.height + 1);
    expect(row.height).toBeGreaterThanOrEqual(44);
  }
}

async function setTheme(page: Page, theme: 'daylight' | 'dark'): Promise<void> {
  const dark = (await page.locator('html').getAttribute('data-theme')) === 'dark';
  if (dark === (theme === 'dark')) return;
  await page.getByText('View', { exact: true }).click();
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await page.getByText('View', { exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/**
 * No map label hides another. The check reads the page between two of its tasks, so it can
 * land after a snapshot has moved a marker or redrawn a section's label and before the layout
 * that follows it (two runs in six on a loaded machine): a clash must still be there
 * when looked at again to count.
 */
async function expectLabelsClear(page: Page): Promise<void> {
  await expect
    .poll(() => labelClashes(page), { timeout: 3_000, intervals: [100, 250, 500] })
    .toEqual([]);
}

function nameOf(row: Locator): Locator {
  return row.locator('.fleet-row__name');
}

/**
 * A row's second line shows each fact whole: nothing runs past its end, and the section it
 * works is named in full ('H61', not 'H…'), also for a machine out of contact.
 */
async function expectFactsWhole(page: Page, when: string): Promise<void> {
  for (const id of IDS) {
    const facts = page.getByTestId(`tractor-card-${id}`).locator('.fleet-row__facts');
    const fits = await facts.evaluate((el) => el.scrollWidth <= el.clientWidth);
    expect(fits, `${id}'s facts are cut ${when}`).toBe(true);
    const section = facts.locator('.fleet-row__section');
    await expect(section, `${id}'s section ${when}`).toHaveText(/^section ([SH]\d+|—)$/);
    const whole = await section.evaluate((el) => {
      const line = el.parentElement!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return el.scrollWidth <= el.clientWidth && box.right <= line.right + 0.5;
    });
    expect(whole, `${id}'s section label is cut ${when}`).toBe(true);
  }
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inside(a: Box, b: Box): boolean {
  return (
    a.x >= b.x - 0.5 &&
    a.y >= b.y - 0.5 &&
    a.x + a.width <= b.x + b.width + 0.5 &&
    a.y + a.height <= b.y + b.height + 0.5
  );
}

/**
 * The notices' place (kept whether or not one is up) lies over neither the map nor the stop
 * panel, and every notice shown is inside it. The boxes are read in one look: the header lays
 * itself out again as the job's state and ETA change (its buttons and the notices' place move
 * with it), and boxes read a snapshot apart would compare two different layouts.
 */
async function expectNoticesClear(page: Page): Promise<void> {
  const names = ['Field map', 'Emergency stop', 'Alerts'];
  const notices = await page.getByRole('log', { name: 'Notifications' }).elementHandle();
  const regions = await Promise.all(
    names.map((name) => page.getByRole('region', { name }).elementHandle()),
  );
  const look = await page.evaluate(
    ([log, ...others]) => {
      const boxOf = (el: Element): Box => {
        const r = el.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      };
      return {
        notices: boxOf(log!),
        toasts: [...log!.querySelectorAll('.toast')].map(boxOf),
        regions: others.map((el) => boxOf(el)),
      };
    },
    [notices, ...regions],
  );
  names.forEach((name, i) =>
    expect(overlaps(look.notices, look.regions[i]!), `notices over the ${name}`).toBe(false),
  );
  for (const toast of look.toasts)
    expect(inside(toast, look.notices), 'a notice out of its place').toBe(true);
}

type HeaderGeometry = { mapTop: number; notices: Box };

/**
 * Where the map's top edge and the notices' place are, read in one look. Neither may move when
 * a stop lands: the operator has just pressed STOP ALL and is looking for what it did.
 */
async function headerGeometry(page: Page): Promise<HeaderGeometry> {
  return page.evaluate(() => {
    const log = document.querySelector('[role="log"][aria-label="Notifications"]')!;
    const notices = log.getBoundingClientRect();
    return {
      mapTop: document.querySelector('.field-map')!.getBoundingClientRect().top,
      notices: { x: notices.x, y: notices.y, width: notices.width, height: notices.height },
    };
  });
}

function expectSameGeometry(now: HeaderGeometry, before: HeaderGeometry, when: string): void {
  const moved = (a: number, b: number): number => Math.abs(a - b);
  expect(moved(now.mapTop, before.mapTop), `the map's top edge moved ${when}`).toBeLessThanOrEqual(
    1,
  );
  for (const key of ['x', 'y', 'width', 'height'] as const)
    expect(
      moved(now.notices[key], before.notices[key]),
      `the notices' place (${key}) moved ${when}`,
    ).toBeLessThanOrEqual(1);
}

test('20 machines fit the fleet list at 1366 × 768, before and during a stop with three alerts', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  await expect(page.getByTestId('tractor-marker')).toHaveCount(TRACTORS);
  await expectWholeFleetVisible(page);
  // Each row names its machine in full, with its mode, share done and link.
  for (const [i, id] of IDS.entries()) {
    const row = page.getByTestId(`tractor-card-${id}`);
    await expect(nameOf(row)).toHaveText(`Tractor ${i + 1}`);
    const name = await nameOf(row).evaluate((el) => el.scrollWidth <= el.clientWidth);
    expect(name, `${id}'s name is cut`).toBe(true);
    await expect(row.getByTestId(`mode-badge-${id}`)).toBeVisible();
  }
  // Twenty machines parked side by side at the field's corner, over the sections' labels.
  await expectLabelsClear(page);
  await expectFactsWhole(page, 'while working');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'fleet-20-daylight.png') });
  await setTheme(page, 'dark');
  await expectWholeFleetVisible(page);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'fleet-20-dark.png') });
  await setTheme(page, 'daylight');

  await expect
    .poll(async () => (await state(page, station.url)).alerts.filter((a) => !a.acknowledged).length)
    .toBeGreaterThanOrEqual(3);
  // Working with two machines stopped by their faults: the longest ETA reason and Pause job.
  await expect(page.getByTestId('job-eta')).toHaveText(/^ETA none while \d+ machines are stopped$/);
  await expect(page.getByRole('button', { name: 'Pause job' })).toBeVisible();
  const working = await headerGeometry(page);
  await page.getByRole('button', { name: 'Stop all' }).click();
  // The machines that stopped themselves already show a stop: wait for the fleet's.
  await expect(page.getByTestId('job-state')).toHaveText('STOPPED');
  await expect(page.getByTestId('stop-summary')).toContainText('STOP ACTIVE');
  await expect(page.getByTestId('stop-status-sim-01')).toHaveAttribute('data-status', 'confirmed');
  await expect(page.getByTestId('job-eta')).toHaveText('ETA none while stopped');
  await expect(page.getByRole('button', { name: 'Resume job' })).toBeDisabled();
  expectSameGeometry(await headerGeometry(page), working, 'when the stop landed');
  await expect(page.getByRole('region', { name: 'Alerts' }).getByRole('listitem')).not.toHaveCount(
    0,
  );
  // The stop's notice ('Fleet stop sent'), up for 6 s, beside the job's buttons.
  await expectNoticesClear(page);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'fleet-20-stop-alerts-daylight.png') });
  await expectWholeFleetVisible(page);
  await expectLabelsClear(page);
  for (const id of IDS) {
    const name = await nameOf(page.getByTestId(`tractor-card-${id}`)).evaluate(
      (el) => el.scrollWidth <= el.clientWidth,
    );
    expect(name, `${id}'s name is cut while stopped`).toBe(true);
  }
  // Its facts too: confirmation time or how long it has been lost, mode, share, section.
  await expectFactsWhole(page, 'while stopped');
  await expect(page.getByTestId('tractor-card-sim-17').locator('.fleet-row__facts')).toContainText(
    /lost \d+ (s|min)/,
  );
  await setTheme(page, 'dark');
  await expectWholeFleetVisible(page);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'fleet-20-stop-alerts-dark.png') });
});
