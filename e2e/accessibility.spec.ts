import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { seriousViolations } from './fixtures/axe.js';
import { SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

/** Buttons and selects smaller than 44 × 44 px (issue 9: touch targets for gloved hands). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('button, select')]
      .filter((el) => !el.closest('.leaflet-control-zoom'))
      .map((el) => ({
        text: (el as HTMLElement).innerText || el.getAttribute('aria-label'),
        rect: el.getBoundingClientRect(),
      }))
      .filter(({ rect }) => rect.width > 0 && (rect.width < 44 || rect.height < 44))
      .map(
        ({ text, rect }) => `${text ?? '?'} ${Math.round(rect.width)}x${Math.round(rect.height)}`,
      ),
  );
}

test.use({ simTractors: 4 });

for (const theme of ['daylight', 'dark'] as const) {
  test(`no serious accessibility violations (${theme} theme)`, async ({ page, station }) => {
    await page.goto(station.url);
    if (theme === 'dark') {
      await page.getByText('View', { exact: true }).click();
      await page.getByRole('button', { name: 'Dark theme' }).click();
    }
    await expect(page.getByRole('button', { name: 'Stop all' })).toBeVisible();
    if (theme === 'dark') await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByTestId('tractor-marker')).toHaveCount(4);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `map-${theme}.png`) });
  });
}

test('every button is at least 44 px in both directions', async ({ page, station }) => {
  await page.goto(station.url);
  await expect(page.getByTestId('tractor-marker')).toHaveCount(4);
  expect(await smallTargets(page)).toEqual([]);
});

test('no serious violations and no small targets with the zone tools and the mode menu open', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  await expect(page.getByTestId('tractor-marker')).toHaveCount(4);
  await page.getByRole('tab', { name: 'Zones' }).click();
  await page.getByRole('button', { name: 'Add keep-out zone' }).click();
  await expect(page.getByRole('group', { name: 'Draw keep-out zone' })).toBeVisible();
  await page.getByRole('button', { name: /^Fleet mode/ }).click();
  await expect(page.getByRole('group', { name: 'Switch the fleet to' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  expect(await smallTargets(page)).toEqual([]);
});

test('no serious violations on a viewer page and with a group confirmation open', async ({
  page,
  station,
}) => {
  await page.goto(station.viewerUrl);
  await expect(page.getByTestId('role-badge')).toHaveText('Viewer');
  await expect(page.getByTestId('tractor-marker')).toHaveCount(4);
  expect(await seriousViolations(page)).toEqual([]);

  await page.goto(`${station.url}/?token=${station.operatorToken}`);
  await expect(page.getByTestId('role-badge')).toHaveText('Operator');
  await page.getByRole('button', { name: /^Fleet mode/ }).click();
  await page
    .getByRole('group', { name: 'Switch the fleet to' })
    .getByRole('button', { name: /^Supervised/ })
    .click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm.getByRole('listitem')).toHaveCount(4);
  await expect(confirm.getByRole('button', { name: 'Switch to Supervised' })).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  expect(await smallTargets(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'group-confirm.png') });
  // Escape cancels: nothing was sent.
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Fleet mode: Autonomous/ })).toBeVisible();
});
