import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { sectionLabel, type StationSnapshot } from '../shared/index.js';
import { openCard } from './fixtures/fleet.js';
import { SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

test.use({ simTractors: 3 });

async function state(page: Page, url: string): Promise<StationSnapshot> {
  return (await (await page.request.get(`${url}/api/state`)).json()) as StationSnapshot;
}

async function holderOf(page: Page, url: string, sectionId: string): Promise<string | null> {
  return (await state(page, url)).sections.find((s) => s.id === sectionId)?.tractorId ?? null;
}

test('drag a section from the map onto another tractor, see the effect, then undo', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  await expect(page.getByTestId('tractor-marker')).toHaveCount(3);
  const sectionId = (await state(page, station.url)).tractors
    .find((t) => t.id === 'sim-02')!
    .sectionIds.at(-1)!;
  const label = page
    .getByRole('region', { name: 'Field map' })
    .locator(`[data-section-id="${sectionId}"]`);
  await expect(label).toBeVisible();
  const card = page.getByTestId('tractor-card-sim-01');
  await card.scrollIntoViewIfNeeded();

  const from = (await label.boundingBox())!;
  const to = (await card.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await expect(page.getByTestId('drag-ghost')).toContainText(`Moving ${sectionLabel(sectionId)}`);
  await expect(page.getByTestId('drop-effect-sim-01')).toContainText('Can take');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'drag-in-progress.png') });
  await page.mouse.up();

  await expect.poll(() => holderOf(page, station.url, sectionId)).toBe('sim-01');
  const detail = await openCard(page, 'sim-01');
  await expect(detail.locator(`[data-section-id="${sectionId}"]`)).toBeVisible();

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => holderOf(page, station.url, sectionId)).toBe('sim-02');
});

test('reassign sections with the keyboard only', async ({ page, station }) => {
  await page.goto(station.url);
  await expect(page.getByTestId('tractor-marker')).toHaveCount(3);
  const [first, second] = (await state(page, station.url)).tractors
    .find((t) => t.id === 'sim-01')!
    .sectionIds.slice(-2);
  const card = await openCard(page, 'sim-01');
  await card.locator(`[data-section-id="${first!}"]`).focus();
  await page.keyboard.press('Enter');
  await card.locator(`[data-section-id="${second!}"]`).focus();
  await page.keyboard.press(' ');
  const bar = page.getByRole('group', { name: 'Move selected sections' });
  await expect(bar).toContainText('2 sections selected');
  await bar.getByLabel('Tractor to move the sections to').selectOption('sim-02');
  await bar.getByRole('button', { name: 'Move' }).press('Enter');
  // Several sections are a group move: it names the machines that give and take the work.
  const confirm = page.getByRole('alertdialog');
  await expect(confirm.getByTestId('group-machines')).toContainText('Tractor 1');
  await expect(confirm.getByTestId('group-machines')).toContainText('Tractor 2');
  await confirm.getByRole('button', { name: 'Move' }).press('Enter');
  await expect.poll(() => holderOf(page, station.url, first!)).toBe('sim-02');
  await expect.poll(() => holderOf(page, station.url, second!)).toBe('sim-02');
});

test('the Undo bar leaves after a while, and at once when the operator does something else', async ({
  page,
  station,
}) => {
  await page.clock.install();
  await page.goto(station.url);
  await expect(page.getByTestId('tractor-marker')).toHaveCount(3);
  const card = await openCard(page, 'sim-01');
  const bar = page.getByRole('group', { name: 'Move selected sections' });
  const undo = page.getByRole('button', { name: 'Undo' });
  const move = async (): Promise<void> => {
    await card.locator('[data-section-id]').last().click();
    await bar.getByLabel('Tractor to move the sections to').selectOption('sim-02');
    await bar.getByRole('button', { name: 'Move' }).click();
    await expect(undo).toBeVisible();
  };
  await move();
  await page.clock.fastForward(19_000);
  await expect(undo).toBeVisible();
  await page.clock.fastForward(2_000);
  await expect(undo).toHaveCount(0);

  await openCard(page, 'sim-01');
  await move();
  await page.getByRole('button', { name: 'Pause job' }).click();
  await expect(undo).toHaveCount(0);
});
