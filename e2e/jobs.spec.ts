import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StationSnapshot } from '../shared/index.js';
import { REPO_ROOT, SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

test.use({ simTractors: 2, serveArgs: ['--no-start'] });

test('the job history lists every job; one is reopened, another deleted and brought back', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  const title = page.getByRole('heading', { level: 1 });
  await expect(title).toHaveText('Long Meadow (demo)');
  // The demo job works some ground and is paused: it stays in the history (a job only opened,
  // never started, would be replaced by the next field).
  await page.getByRole('button', { name: 'Start job' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Start job' }).click();
  await expect
    .poll(
      async () =>
        ((await (await page.request.get(`${station.url}/api/state`)).json()) as StationSnapshot).job
          .progress.workedHa,
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Pause job' }).click();
  await expect(page.getByTestId('job-state')).toHaveText('PAUSED');
  await page
    .getByLabel('Field file')
    .setInputFiles(join(REPO_ROOT, 'assets', 'fields', 'small-paddock.geojson'));
  // The paddock lies some 650 km from the fleet: the station asks before it becomes the job.
  const question = page.getByTestId('field-question');
  await expect(question).toContainText('km from the nearest machine');
  await expect(title).toHaveText('Long Meadow (demo)');
  await question.getByRole('button', { name: 'Open it anyway' }).click();
  await expect(title).not.toHaveText('Long Meadow (demo)');

  await page.getByRole('tab', { name: 'Jobs' }).click();
  const history = page.getByRole('region', { name: 'Job history' });
  const items = history.getByRole('listitem');
  await expect(items).toHaveCount(2);
  const demo = items.filter({ hasText: 'Long Meadow (demo)' });
  await expect(items.first()).toContainText('Open');

  await demo.getByRole('button', { name: 'Reopen' }).click();
  await expect(title).toHaveText('Long Meadow (demo)');
  await expect(demo).toContainText('Open');

  const paddock = items.filter({ hasText: /paddock/i });
  await paddock.getByRole('button', { name: 'Delete…' }).click();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'jobs.png') });
  await paddock.getByRole('button', { name: /^Delete / }).click();
  await expect(paddock).toContainText('deleted');
  await paddock.getByRole('button', { name: 'Undo delete' }).click();
  await expect(paddock).not.toContainText('deleted');
  await expect(paddock.getByRole('button', { name: 'Reopen' })).toBeEnabled();
});

test('a job is exported from the Jobs tab for farm software; a bad request names the problem', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  await page.getByRole('tab', { name: 'Jobs' }).click();
  const item = page.getByRole('region', { name: 'Job history' }).getByRole('listitem').first();
  await item.getByLabel(/Export format/).selectOption('geojson');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    item.getByRole('button', { name: 'Export' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.geojson$/);
  const text = await readFile(await download.path(), 'utf8');
  const geojson = JSON.parse(text) as { type: string; features: unknown[] };
  expect(geojson.type).toBe('FeatureCollection');
  expect(geojson.features.length).toBeGreaterThan(0);

  const bad = await page.request.get(`${station.url}/api/export/x?format=pdf`);
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: string }).error).toMatch(/format must be one of/);
  const missing = await page.request.get(`${station.url}/api/export/job-nope?format=csv`);
  expect(missing.status()).toBe(404);
});
