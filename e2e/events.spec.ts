/**
 * The Events tab is the station's whole log, as a replay shows it: commands with who gave them,
 * stops, confirmations and releases, alerts and their acknowledgements, mode changes, field
 * files opened (a refused one with its reason) and exports — also what a toast said after the
 * toast has gone.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { fleetRow } from './fixtures/fleet.js';
import { SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

test.use({
  simTractors: 3,
  scenario: { faults: [{ atS: 2, tractor: 'sim-03', kind: 'fail', reason: 'seed blockage' }] },
});

async function showEvents(page: Page, group: string) {
  await page.getByRole('tab', { name: 'Events' }).click();
  const log = page.getByRole('region', { name: 'Event log' });
  await log.getByLabel('Show').selectOption({ label: group });
  return log.getByTestId('event');
}

test('the Events tab logs commands with their giver, stops, releases, alerts, modes, files and exports', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  await expect(fleetRow(page, 'sim-01')).toHaveAttribute('data-state', /working|turning/);

  // An alert from a machine, acknowledged.
  const alerts = page.getByRole('region', { name: 'Alerts' });
  await expect(alerts).toContainText('seed blockage', { timeout: 20_000 });
  await alerts
    .getByTestId('open-alert')
    .filter({ hasText: 'seed blockage' })
    .getByRole('button', { name: /^Acknowledge/ })
    .click();

  await fleetRow(page, 'sim-02').getByRole('button', { name: 'Stop Tractor 2' }).click();
  await expect(page.getByTestId('stop-status-sim-02')).toHaveAttribute('data-status', 'confirmed');
  await page.keyboard.press('Shift+Escape');
  await expect(page.getByTestId('stop-summary')).toContainText('3 of 3 machines');
  await page.getByTestId('release-all').click();
  await page.getByRole('button', { name: 'Confirm release of 3 to paused' }).click();
  await expect(page.getByTestId('stop-summary')).toHaveCount(0);

  await page.getByRole('button', { name: /^Fleet mode/ }).click();
  await page
    .getByRole('group', { name: 'Switch the fleet to' })
    .getByRole('button', { name: /^Supervised/ })
    .click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Switch to Supervised' }).click();
  await expect(page.getByTestId('mode-badge-sim-01')).toHaveAttribute('data-mode', 'supervised');

  // An empty field file: refused with the file's name, and still in the log once the toast is gone.
  await page.getByLabel('Field file').setInputFiles({
    name: 'empty.geojson',
    mimeType: 'application/geo+json',
    buffer: Buffer.alloc(0),
  });
  const toasts = page.getByRole('log', { name: 'Notifications' });
  await expect(toasts).toContainText('empty.geojson is empty');
  await expect(toasts).not.toContainText('dataBase64');

  await page.getByRole('tab', { name: 'Jobs' }).click();
  const job = page.getByRole('region', { name: 'Job history' }).getByRole('listitem').first();
  await job.getByLabel(/Export format/).selectOption('csv');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    job.getByRole('button', { name: 'Export' }).click(),
  ]);
  expect(await readFile(await download.path(), 'utf8')).toContain('scope,id');

  await expect(toasts).not.toContainText('empty.geojson is empty', { timeout: 15_000 });

  const commands = await showEvents(page, 'commands');
  for (const text of [
    'stop Tractor 2',
    'STOP ALL',
    'release Tractor 1, Tractor 2, Tractor 3',
    'switch the fleet to supervised',
  ])
    await expect(commands.filter({ hasText: text }).first()).toContainText('(operator)');

  const files = await showEvents(page, 'field files and exports');
  await expect(files.filter({ hasText: 'open field file empty.geojson' })).toContainText(
    'refused: empty.geojson is empty',
  );
  await expect(files.filter({ hasText: /exported .*\.csv \(csv\)/ })).toHaveCount(1);

  const stops = await showEvents(page, 'stops, confirmations, releases');
  for (const kind of ['stop', 'confirm', 'release'])
    await expect(stops.and(page.locator(`[data-kind="${kind}"]`)).first()).toBeVisible();
  await expect(stops.filter({ hasText: 'confirmed stopped after' }).first()).toContainText(
    /Tractor \d/,
  );

  const alertLines = await showEvents(page, 'alerts');
  await expect(alertLines.filter({ hasText: 'seed blockage' }).first()).toBeVisible();
  await expect(alertLines.and(page.locator('[data-kind="ack"]')).first()).toContainText(
    '(operator)',
  );

  const modes = await showEvents(page, 'modes and zones');
  await expect(modes.first()).toContainText('supervised');

  await showEvents(page, 'all events');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'events.png') });
});
