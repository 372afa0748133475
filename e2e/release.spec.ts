/**
 * Stop, release and resume as an operator does them: a latched fleet stop, machines released
 * and resumed one at a time while the others stay stopped, several stops released at once, a
 * stop that closes the dialogs that would set machines moving, and a page that cannot reach the
 * station never showing an armed STOP ALL.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { StationSnapshot } from '../shared/index.js';
import { SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

test.use({ simTractors: 3 });

const MOVING = /working|turning/;

async function state(page: Page, url: string): Promise<StationSnapshot> {
  return (await (await page.request.get(`${url}/api/state`)).json()) as StationSnapshot;
}

async function allWorking(page: Page): Promise<void> {
  for (const id of ['sim-01', 'sim-02', 'sim-03'])
    await expect(page.getByTestId(`tractor-card-${id}`)).toHaveAttribute('data-state', MOVING);
}

test('fleet stop by keyboard, Release all to paused, then a deliberate resume', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  await allWorking(page);
  await page.keyboard.press('Shift+Escape');
  await expect(page.getByTestId('stop-summary')).toContainText('3 of 3 machines confirmed stopped');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'stop-active.png') });

  await page.getByTestId('release-all').click();
  await page.getByRole('button', { name: 'Confirm release of 3 to paused' }).click();
  for (const id of ['sim-01', 'sim-02', 'sim-03'])
    await expect(page.getByTestId(`tractor-card-${id}`)).toHaveAttribute('data-state', 'paused');
  const paused = await state(page, station.url);
  expect(paused.stops).toEqual([]);
  expect(paused.job.state).toBe('paused');

  await page.getByRole('button', { name: 'Resume job' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Resume job' }).click();
  await allWorking(page);
});

test('after STOP ALL one machine is released from its row and resumed while the others stay stopped', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  await allWorking(page);
  await page.getByRole('button', { name: 'Stop all' }).click();
  await expect(page.getByTestId('stop-summary')).toContainText('3 of 3');

  await page.getByTestId('release-sim-01').click();
  await page.getByRole('button', { name: 'Release Tractor 1' }).click();
  const card = page.getByTestId('tractor-card-sim-01');
  await expect(card).toHaveAttribute('data-state', 'paused');
  await expect(page.getByTestId('job-state')).toHaveText('PARTLY STOPPED');
  await expect(page.getByTestId('stop-summary')).toContainText('2 of 2 machines');
  await expect(page.getByTestId('stop-summary')).toContainText('1 other not stopped');

  await card.getByRole('button', { name: /^Resume / }).click();
  await expect(card).toHaveAttribute('data-state', MOVING);
  // The fleet stop keeps holding the others; its repeats never stop the released machine.
  await page.waitForTimeout(4_000);
  await expect(card).toHaveAttribute('data-state', MOVING);
  for (const id of ['sim-02', 'sim-03'])
    await expect(page.getByTestId(`tractor-card-${id}`)).toHaveAttribute('data-state', 'stopped');
  const after = await state(page, station.url);
  expect(after.alerts.filter((a) => a.message.includes('stopped itself'))).toEqual([]);
  expect(after.stops).toHaveLength(1);
});

test('machines each held by a stop of their own are all released by one Release all', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  await allWorking(page);
  for (const id of ['sim-01', 'sim-03']) {
    const card = page.getByTestId(`tractor-card-${id}`);
    await card.getByRole('button', { name: /^Stop / }).click();
    await expect(card).toHaveAttribute('data-state', 'stopped');
  }
  await expect(page.getByTestId('stop-summary')).toContainText('2 of 2 machines');
  await page.getByTestId('release-all').click();
  await page.getByRole('button', { name: 'Confirm release of 2 to paused' }).click();
  for (const id of ['sim-01', 'sim-03'])
    await expect(page.getByTestId(`tractor-card-${id}`)).toHaveAttribute('data-state', 'paused');
  expect((await state(page, station.url)).stops).toEqual([]);
  await expect(page.getByTestId('tractor-card-sim-02')).toHaveAttribute('data-state', MOVING);
});

test('the stop summary counts machines, not stops times machines', async ({ page, station }) => {
  await page.goto(station.url);
  await allWorking(page);
  const card = page.getByTestId('tractor-card-sim-02');
  await card.getByRole('button', { name: /^Stop / }).click();
  await expect(card).toHaveAttribute('data-state', 'stopped');
  await page.getByRole('button', { name: 'Stop all' }).click();
  await expect(page.getByTestId('stop-summary')).toContainText('3 of 3 machines confirmed stopped');
  expect((await state(page, station.url)).stops).toHaveLength(2);
});

test('a stop closes the question that would set the fleet moving', async ({ page, station }) => {
  await page.goto(station.url);
  await allWorking(page);
  await page.getByRole('button', { name: 'Pause job' }).click();
  await page.getByRole('button', { name: 'Resume job' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Shift+Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('stop-summary')).toContainText('3 of 3');
  // Enter now reaches no hidden dialog: the fleet stays stopped.
  await page.keyboard.press('Enter');
  await page.waitForTimeout(500);
  const after = await state(page, station.url);
  expect(after.job.state).toBe('stopped');
  expect(after.tractors.every((t) => t.state === 'stopped')).toBe(true);
});

test('a page that cannot reach the station says it cannot stop the fleet, then re-arms', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  await expect(page.getByRole('button', { name: 'Stop all' })).toBeVisible();
  station.process.kill('SIGSTOP'); // a frozen station sends no close: only silence
  try {
    await expect(page.getByTestId('stop-unarmed')).toHaveText('This page cannot stop the fleet', {
      timeout: 2_000,
    });
    await expect(page.getByRole('button', { name: 'Stop all' })).toHaveCount(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'stop-unarmed.png') });
  } finally {
    station.process.kill('SIGCONT');
  }
  await expect(page.getByRole('button', { name: 'Stop all' })).toBeVisible({ timeout: 10_000 });
});
