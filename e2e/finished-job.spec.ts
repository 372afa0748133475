/**
 * A finished job says so: FINISHED, no ETA, no "fleet running", and the ground its passes did
 * not reach counted in the header and hatched on the map.
 */
import { join } from 'node:path';
import type { StationSnapshot } from '../shared/index.js';
import { REPO_ROOT, SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

test.use({
  simTractors: 6,
  viewport: { width: 1366, height: 768 },
  // A 2.5 ha paddock: six machines finish it in about three minutes of driving (the bench's
  // executed-plan run of this field); the waits leave room for a loaded machine. Twelve crowd
  // it and wait on each other under the separation guard (on the manual clock they finish in
  // about three times the planned makespan; not yet measured on the real clock).
  serveArgs: ['--field', join(REPO_ROOT, 'assets', 'fields', 'small-paddock.geojson')],
});

test('a finished job says finished and shows the ground it left unworked', async ({
  page,
  station,
}) => {
  test.setTimeout(420_000);
  await page.goto(station.url);
  await expect
    .poll(
      async () =>
        ((await (await page.request.get(`${station.url}/api/state`)).json()) as StationSnapshot).job
          .state,
      { timeout: 360_000, intervals: [2_000] },
    )
    .toBe('finished');
  const state = (await (
    await page.request.get(`${station.url}/api/state`)
  ).json()) as StationSnapshot;
  const { progress } = state.job;
  expect(progress.unworkedHa).not.toBeNull();
  expect(progress.unworkedHa!).toBeCloseTo(progress.totalHa - progress.workedHa, 2);

  await expect(page.getByTestId('job-state')).toHaveText('FINISHED');
  await expect(page.getByTestId('job-eta')).toHaveText('ETA finished');
  await expect(page.getByTestId('estop-idle')).toHaveText('Job finished — no stop active');
  if (progress.unworkedHa! > 0) {
    await expect(page.getByTestId('job-unworked')).toContainText('left unworked');
    await expect(page.locator('path.unworked-ground').first()).toBeAttached();
  }
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'finished-job.png') });
});
