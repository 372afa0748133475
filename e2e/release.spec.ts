import { join } from 'node:path';
import type { StationSnapshot } from '../shared/index.js';
import { SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

test.use({ simTractors: 3 });

test('fleet stop by keyboard, two-step release to paused, then a deliberate resume', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  await expect(page.getByTestId('tractor-card-sim-01')).toHaveAttribute(
    'data-state',
    /working|turning/,
  );
  await page.keyboard.press('Shift+Escape');
  await expect(page.getByRole('status').filter({ hasText: 'STOP ACTIVE' })).toContainText(
    '3/3 confirmed',
  );
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'stop-active.png') });

  await page.getByRole('button', { name: 'Release…' }).click();
  const release = page.getByRole('group', { name: 'Release stopped tractors' });
  await expect(release.getByRole('checkbox')).toHaveCount(3);
  await release.getByRole('button', { name: 'Confirm release (3)' }).click();

  for (const id of ['sim-01', 'sim-02', 'sim-03']) {
    await expect(page.getByTestId(`tractor-card-${id}`)).toHaveAttribute('data-state', 'paused');
  }
  const paused = (await (
    await page.request.get(`${station.url}/api/state`)
  ).json()) as StationSnapshot;
  expect(paused.stops).toEqual([]);
  expect(paused.job.state).toBe('paused');

  await page.getByRole('button', { name: 'Resume job' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Resume job' }).click();
  await expect(page.getByTestId('tractor-card-sim-01')).toHaveAttribute(
    'data-state',
    /working|turning/,
  );
});

test('one tractor stopped and released waits, paused, until the operator resumes it', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  const card = page.getByTestId('tractor-card-sim-02');
  await expect(card).toHaveAttribute('data-state', /working|turning/);
  await card.getByRole('button', { name: /^Stop / }).click();
  await expect(card).toHaveAttribute('data-state', 'stopped');

  await page.getByRole('button', { name: 'Release…' }).click();
  const release = page.getByRole('group', { name: 'Release stopped tractors' });
  await release.getByRole('button', { name: /Confirm release/ }).click();
  await expect(card).toHaveAttribute('data-state', 'paused');
  // The rest of the fleet works on; this one does not move by itself.
  await expect(page.getByTestId('tractor-card-sim-01')).toHaveAttribute(
    'data-state',
    /working|turning/,
  );
  await page.waitForTimeout(1_500);
  await expect(card).toHaveAttribute('data-state', 'paused');

  await card.getByRole('button', { name: /^Resume / }).click();
  await expect(card).toHaveAttribute('data-state', /working|turning/);
});
