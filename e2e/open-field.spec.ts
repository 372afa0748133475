import { join } from 'node:path';
import type { StationSnapshot } from '../shared/index.js';
import { REPO_ROOT, SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

test.use({ simTractors: 2, serveArgs: ['--no-start'] });

test('an operator opens a field file as the next job and starts it', async ({ page, station }) => {
  await page.goto(station.url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Long Meadow (demo)');
  await page
    .getByLabel('Field file')
    .setInputFiles(join(REPO_ROOT, 'assets', 'fields', 'samples', 'sample-farm.kml'));
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Long Meadow (demo)');
  const state = (await (
    await page.request.get(`${station.url}/api/state`)
  ).json()) as StationSnapshot;
  expect(state.field.name).not.toBe('Long Meadow (demo)');
  expect(state.job.state).toBe('planned');
  expect(state.sections.length).toBeGreaterThan(0);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'open-field.png') });

  await page.getByRole('button', { name: 'Start job' }).click();
  // A group command: it lists the machines it reaches before it acts.
  const confirm = page.getByRole('alertdialog');
  await expect(confirm.getByTestId('group-machines').getByRole('listitem')).toHaveText([
    'Tractor 1',
    'Tractor 2',
  ]);
  await confirm.getByRole('button', { name: 'Start job' }).click();
  await expect(page.getByRole('button', { name: 'Open field…' })).toBeDisabled();
  await expect
    .poll(async () =>
      (
        (await (await page.request.get(`${station.url}/api/state`)).json()) as StationSnapshot
      ).sections.every((s) => s.tractorId !== null),
    )
    .toBe(true);
});

test('a file that is not a field is refused with the problem named', async ({ page, station }) => {
  await page.goto(station.url);
  await page.getByLabel('Field file').setInputFiles({
    name: 'notes.geojson',
    mimeType: 'application/json',
    buffer: Buffer.from('{"type":"Point","coordinates":[1,2]}'),
  });
  await expect(page.getByRole('log', { name: 'Notifications' })).toContainText('notes.geojson');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Long Meadow (demo)');
});
