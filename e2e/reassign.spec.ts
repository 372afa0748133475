import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { StationSnapshot } from '../shared/index.js';
import { SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

test.use({ simTractors: 3 });

async function holderOf(page: Page, url: string, sectionId: string): Promise<string | null> {
  const state = (await (await page.request.get(`${url}/api/state`)).json()) as StationSnapshot;
  return state.sections.find((s) => s.id === sectionId)?.tractorId ?? null;
}

test('drag a section from the map onto another tractor, see the effect, then undo', async ({ page, station }) => {
  await page.goto(station.url);
  const label = page.getByRole('region', { name: 'Field map' }).locator('[data-section-id="s20"]');
  await expect(label).toBeVisible();
  const original = await holderOf(page, station.url, 's20');
  const target = original === 'sim-01' ? 'sim-02' : 'sim-01';
  const card = page.getByTestId(`tractor-card-${target}`);
  await card.scrollIntoViewIfNeeded();

  const from = (await label.boundingBox())!;
  const to = (await card.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + 40, { steps: 12 });
  await expect(page.getByTestId('drag-ghost')).toContainText('Moving s20');
  await expect(page.getByTestId(`drop-effect-${target}`)).toContainText('Can take');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'drag-in-progress.png') });
  await page.mouse.up();

  await expect.poll(() => holderOf(page, station.url, 's20')).toBe(target);
  await expect(card.locator('[data-section-id="s20"]')).toBeVisible();

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => holderOf(page, station.url, 's20')).toBe(original);
});

test('reassign sections with the keyboard only', async ({ page, station }) => {
  await page.goto(station.url);
  const chip = page.getByTestId('tractor-card-sim-01').locator('[data-section-id="s04"]');
  await chip.focus();
  await page.keyboard.press('Enter');
  const chip2 = page.getByTestId('tractor-card-sim-01').locator('[data-section-id="s07"]');
  await chip2.focus();
  await page.keyboard.press(' ');
  const bar = page.getByRole('group', { name: 'Move selected sections' });
  await expect(bar).toContainText('2 sections selected');
  await bar.getByLabel('Tractor to move the sections to').selectOption('sim-02');
  await bar.getByRole('button', { name: 'Move' }).press('Enter');
  await expect.poll(() => holderOf(page, station.url, 's04')).toBe('sim-02');
  await expect.poll(() => holderOf(page, station.url, 's07')).toBe('sim-02');
});
