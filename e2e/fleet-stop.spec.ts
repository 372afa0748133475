import { join } from 'node:path';
import type { StationSnapshot } from '../shared/index.js';
import { SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

const TRACTORS = 6;
test.use({ simTractors: TRACTORS });

test('an operator sees the fleet and stops it with one click; every tractor confirms', async ({
  page,
  station,
}) => {
  await page.goto(station.url);

  const map = page.getByRole('region', { name: 'Field map' });
  await expect(map.getByTestId('tractor-marker')).toHaveCount(TRACTORS);
  const fleet = page.getByRole('region', { name: 'Fleet' });
  await expect(
    fleet.getByRole('listitem').filter({ has: page.getByRole('progressbar') }),
  ).toHaveCount(TRACTORS);

  // Let the tractors work a little so progress is visible, then stop as an operator would.
  await expect(page.getByTestId('job-progress')).not.toHaveText('0%', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Stop all' }).click();

  for (let i = 1; i <= TRACTORS; i++) {
    const id = `sim-${String(i).padStart(2, '0')}`;
    await expect(page.getByTestId(`stop-status-${id}`)).toHaveAttribute('data-status', 'confirmed');
    await expect(page.getByTestId(`tractor-card-${id}`)).toHaveAttribute('data-state', 'stopped');
  }
  await expect(page.getByTestId('stop-summary')).toContainText(
    `${TRACTORS} of ${TRACTORS} machines confirmed stopped`,
  );

  const response = await page.request.get(`${station.url}/api/state`);
  const state = (await response.json()) as StationSnapshot;
  expect(state.tractors).toHaveLength(TRACTORS);
  expect(state.tractors.every((t) => t.state === 'stopped')).toBe(true);
  expect(state.tractors.every((t) => t.speedMps === 0)).toBe(true);

  await page.screenshot({ path: join(SCREENSHOT_DIR, 'fleet-stop.png') });
});
