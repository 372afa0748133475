import { join } from 'node:path';
import { REPO_ROOT, SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

test.use({ simTractors: 2, serveArgs: ['--no-start'] });

test('the job history lists every job; one is reopened, another deleted and brought back', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  const title = page.getByRole('heading', { level: 1 });
  await expect(title).toHaveText('Long Meadow (demo)');
  await page
    .getByLabel('Field file')
    .setInputFiles(join(REPO_ROOT, 'assets', 'fields', 'small-paddock.geojson'));
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
