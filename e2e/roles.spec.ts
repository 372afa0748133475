import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { StationSnapshot } from '../shared/index.js';
import { openCard } from './fixtures/fleet.js';
import { SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

const TRACTORS = 3;
test.use({ simTractors: TRACTORS });

const VIEWER_HINT = "viewers can't change the job";

async function state(page: Page, url: string): Promise<StationSnapshot> {
  return (await (await page.request.get(`${url}/api/state`)).json()) as StationSnapshot;
}

/** The first of `sectionIds` whose label on the map is on top at its centre (nothing over it). */
async function visibleLabel(page: Page, sectionIds: readonly string[]): Promise<string> {
  const found = await page.evaluate((ids) => {
    const map = document.querySelector('[aria-label="Field map"]');
    for (const id of ids) {
      const label = map?.querySelector(`[data-section-id="${id}"]`);
      const box = label?.getBoundingClientRect();
      if (!label || !box || box.width === 0) continue;
      const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      if (top && (top === label || label.contains(top))) return id;
    }
    return null;
  }, sectionIds);
  expect(found, 'a section label on the map that nothing covers').not.toBeNull();
  return found!;
}

test('a viewer sees the fleet and its role, cannot change the job, and can still stop it', async ({
  page,
  station,
}) => {
  await page.goto(station.viewerUrl);
  await expect(page.getByTestId('role-badge')).toHaveText('Viewer');
  // The token leaves the address bar (it lives in this tab's sessionStorage).
  expect(page.url()).not.toContain('token=');
  await expect(page.getByTestId('tractor-marker')).toHaveCount(TRACTORS);

  // Reassigning: a viewer may select sections to look at them, but not move them.
  const first = (await state(page, station.url)).tractors.find((t) => t.id === 'sim-01')!
    .sectionIds[0]!;
  const card = await openCard(page, 'sim-01');
  await card.locator(`[data-section-id="${first}"]`).click();
  const bar = page.getByRole('group', { name: 'Move selected sections' });
  await expect(bar).toContainText('1 section selected');
  for (const control of [
    bar.getByRole('button', { name: 'Move' }),
    bar.getByLabel('Tractor to move the sections to'),
  ]) {
    await expect(control).toBeDisabled();
    await expect(control).toHaveAttribute('aria-description', VIEWER_HINT);
  }

  // Modes, the job, zones: every control disabled and saying why.
  const gated = [
    page.getByRole('button', { name: /^Fleet mode:/ }),
    card.getByRole('button', { name: 'Change mode of Tractor 1' }),
    page.getByRole('button', { name: 'Pause job' }),
    page.getByRole('button', { name: 'Open field…' }),
  ];
  for (const control of gated) {
    await expect(control).toBeDisabled();
    await expect(control).toHaveAttribute('aria-description', VIEWER_HINT);
  }
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'viewer.png') });

  // A drag says at once that a viewer cannot move work, and moves nothing. The operator grabs a
  // label they can see: a driving tractor's marker may lie over some labels.
  const before = await state(page, station.url);
  const grabbed = await visibleLabel(page, [first, ...before.sections.map((x) => x.id)]);
  const label = page
    .getByRole('region', { name: 'Field map' })
    .locator(`[data-section-id="${grabbed}"]`);
  const from = (await label.boundingBox())!;
  const to = (await page.getByTestId('tractor-card-sim-02').boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
  await expect(page.getByTestId('drag-ghost')).toContainText("Viewers can't change the job");
  await expect(page.getByTestId('drop-effect-sim-02')).toHaveCount(0);
  await page.mouse.up();
  await expect(page.getByTestId('drag-ghost')).toHaveCount(0);
  expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
  const after = (await state(page, station.url)).sections.find((x) => x.id === grabbed);
  expect(after?.tractorId).toBe(before.sections.find((x) => x.id === grabbed)?.tractorId);
  await page.getByRole('tab', { name: 'Zones' }).click();
  await expect(page.getByRole('button', { name: 'Add keep-out zone' })).toBeDisabled();
  await page.getByRole('tab', { name: 'Fleet' }).click();

  // The stop is never withheld.
  const stopAll = page.getByRole('button', { name: 'Stop all' });
  await expect(stopAll).toBeEnabled();
  await stopAll.click();
  for (let i = 1; i <= TRACTORS; i++) {
    const id = `sim-${String(i).padStart(2, '0')}`;
    await expect(page.getByTestId(`tractor-card-${id}`)).toHaveAttribute('data-state', 'stopped');
  }
  const stopped = await state(page, station.url);
  expect(stopped.stops).toMatchObject([{ scope: 'fleet', issuedBy: 'viewer (viewer)' }]);
  expect(stopped.tractors.every((t) => t.state === 'stopped')).toBe(true);
  // Releasing is an operator's decision.
  await expect(page.getByRole('button', { name: 'Choose…' })).toBeDisabled();
  await expect(page.getByTestId('release-all')).toHaveCount(0);
  await expect(page.getByTestId('release-sim-01')).toHaveCount(0);
});

test('an operator page shows its role and its controls work', async ({ page, station }) => {
  await page.goto(station.url);
  await expect(page.getByTestId('role-badge')).toHaveText('Operator');
  await expect(page.getByRole('button', { name: 'Pause job' })).toBeEnabled();
  await page.getByRole('button', { name: 'Pause job' }).click();
  await expect.poll(async () => (await state(page, station.url)).job.state).toBe('paused');
});

test('a page with an unknown token views the fleet, may stop it, and says why it can do no more', async ({
  page,
  station,
}) => {
  await page.goto(`${station.url}/?token=not-a-real-token`);
  await expect(page.getByRole('status').filter({ hasText: 'not valid here' })).toBeVisible();
  await expect(page.getByTestId('role-badge')).toHaveText('Viewer');
  await page.getByRole('button', { name: 'Stop all' }).click();
  await expect.poll(async () => (await state(page, station.url)).stops.length).toBe(1);
});
