/**
 * The whole fleet at a glance on a field laptop: 20 machines in the fleet list at 1366 × 768
 * with no scrolling, also while a stop and three alerts are shown, in both themes, and no label
 * on the map hiding another where the machines crowd together.
 */
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { StationSnapshot } from '../shared/index.js';
import { labelClashes } from './fixtures/map-labels.js';
import { SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

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

function nameOf(row: Locator): Locator {
  return row.locator('.fleet-row__name');
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
  expect(await labelClashes(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'fleet-20-daylight.png') });
  await setTheme(page, 'dark');
  await expectWholeFleetVisible(page);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'fleet-20-dark.png') });
  await setTheme(page, 'daylight');

  await expect
    .poll(async () => (await state(page, station.url)).alerts.filter((a) => !a.acknowledged).length)
    .toBeGreaterThanOrEqual(3);
  await page.getByRole('button', { name: 'Stop all' }).click();
  await expect(page.getByTestId('stop-summary')).toContainText('STOP ACTIVE');
  await expect(page.getByTestId('stop-status-sim-01')).toHaveAttribute('data-status', 'confirmed');
  await expect(page.getByRole('region', { name: 'Alerts' }).getByRole('listitem')).not.toHaveCount(
    0,
  );
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'fleet-20-stop-alerts-daylight.png') });
  await expectWholeFleetVisible(page);
  expect(await labelClashes(page)).toEqual([]);
  for (const id of IDS) {
    const name = await nameOf(page.getByTestId(`tractor-card-${id}`)).evaluate(
      (el) => el.scrollWidth <= el.clientWidth,
    );
    expect(name, `${id}'s name is cut while stopped`).toBe(true);
    // Its facts too: confirmation time or how long it has been lost, mode, share, section.
    const facts = await page
      .getByTestId(`tractor-card-${id}`)
      .locator('.fleet-row__facts')
      .evaluate((el) => el.scrollWidth <= el.clientWidth);
    expect(facts, `${id}'s facts are cut while stopped`).toBe(true);
  }
  await setTheme(page, 'dark');
  await expectWholeFleetVisible(page);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'fleet-20-stop-alerts-dark.png') });
});
