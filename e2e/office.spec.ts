/**
 * The farm office's page in Chromium: every station's jobs on one page, a job opened on the
 * field map read-only and with no control that reaches a machine; the page on office node B
 * stays live while node A, the one the station mirrors to, is killed and the station fails
 * over to B, and B ends holding everything the station's own document has. Screenshots of the
 * page with three stations' fields, in both themes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import type { StationSnapshot } from '../shared/index.js';
import { startRedis, type RunningRedis } from '../electron/office/test-helpers/redis-server.js';
import {
  OFFICE_VIEWER_TOKEN,
  covers,
  kill,
  officeDoc,
  startOfficeNode,
  stateVector,
  stationDoc,
  upstreamArgs,
  type DocReader,
  type OfficeNode,
} from './fixtures/office.js';
import {
  REPO_ROOT,
  SCREENSHOT_DIR,
  startServe,
  stopServe,
  type ServeProcess,
} from './fixtures/station.js';

const cleanups: (() => unknown)[] = [];
test.afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `headland-e2e-${name}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function office(
  dataDir: string,
  stations: string[],
  redis?: RunningRedis,
): Promise<OfficeNode> {
  const node = await startOfficeNode(dataDir, stations, redis?.port);
  cleanups.push(() => kill(node.process));
  return node;
}

async function station(id: string, nodes: OfficeNode[], args: string[]): Promise<ServeProcess> {
  const serve = await startServe([...args, ...upstreamArgs(id, nodes)], tempDir(id));
  cleanups.push(() => stopServe(serve));
  return serve;
}

async function jobIdOf(page: Page, serve: ServeProcess): Promise<string> {
  return ((await (await page.request.get(`${serve.url}/api/state`)).json()) as StationSnapshot).job
    .id;
}

function read(reader: DocReader): DocReader {
  cleanups.push(() => reader.close());
  return reader;
}

const field = (name: string): string => join(REPO_ROOT, 'assets', 'fields', `${name}.geojson`);

async function setTheme(page: Page, theme: 'daylight' | 'dark'): Promise<void> {
  const dark = (await page.locator('html').getAttribute('data-theme')) === 'dark';
  if (dark !== (theme === 'dark')) await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/** Resolves with the progress text once it differs from `before`. */
async function progressMoves(page: Page, before: string, timeout = 20_000): Promise<string> {
  const progress = page.getByTestId('office-view-progress');
  await expect(progress).not.toHaveText(before, { timeout });
  return (await progress.textContent()) ?? '';
}

test('a viewer on office node B follows a job live while node A dies and the station fails over', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  // Nodes on one machine share their data folder (docs/office.md).
  const data = tempDir('office');
  const [a, b] = await Promise.all([
    office(data, ['north'], redis),
    office(data, ['north'], redis),
  ]);
  const north = await station('north', [a, b], ['--sim', '3', '--field', field('small-paddock')]);
  const jobId = await jobIdOf(page, north);

  await page.goto(`${b.url}/?token=${OFFICE_VIEWER_TOKEN}`);
  // The token leaves the address bar (renderer/bridge/page-token.ts).
  expect(page.url()).not.toContain(OFFICE_VIEWER_TOKEN);
  const row = page.getByTestId(`office-job-north-${jobId}`);
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText('Small paddock');
  await expect(row).toContainText('3 machines');
  await row.getByRole('button').click();

  // The field map as the station shows it, read-only, and said plainly to be so.
  await expect(page.getByRole('note')).toContainText('The office cannot stop machines');
  await expect(page.getByTestId('field-map')).toContainText('S1');
  // The machines first drive to their sections (about 25 s), then each closed swath counts.
  let progress = await progressMoves(page, 'reading…');
  progress = await progressMoves(page, progress, 45_000);
  expect(progress).not.toContain('(0.00 ha');
  // No control here reaches a machine: no stop buttons, no stop panel, no release, no moves.
  await expect(page.getByRole('button', { name: /stop|release|resume|move|assign/i })).toHaveCount(
    0,
  );
  await expect(page.locator('.estop-panel')).toHaveCount(0);

  const own = read(stationDoc(north.url, north.viewerUrl, jobId));
  await kill(a.process, 'SIGKILL');
  const atKill = stateVector(own.doc);
  // Progress goes on moving on the page, now through node B alone.
  progress = await progressMoves(page, progress);
  await progressMoves(page, progress);
  await expect(page.locator('.office__problem')).toHaveCount(0);

  // Nothing lost: B's copy holds everything the station's own document has, the work done
  // after A died included.
  const want = stateVector(own.doc);
  expect([...want].some(([client, clock]) => (atKill.get(client) ?? 0) < clock)).toBe(true);
  const onB = read(officeDoc(b, `north/${jobId}`));
  await expect.poll(() => covers(onB.doc, want), { timeout: 20_000 }).toBe(true);
  expect(north.stderr()).not.toContain('refused or ended');
});

test('the office page with three stations at 1366 × 768, in both themes', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  const node = await office(tempDir('office'), ['north', 'south', 'east']);
  const fields = { north: 'small-paddock', south: 'wedge', east: 'l-shaped' } as const;
  // One after another: three stations starting at once on two cores can miss serve's 30 s start.
  const stations: ServeProcess[] = [];
  for (const [id, name] of Object.entries(fields))
    stations.push(await station(id, [node], ['--sim', '2', '--field', field(name)]));
  const jobIds = await Promise.all(stations.map((s) => jobIdOf(page, s)));

  await page.goto(`${node.url}/?token=${OFFICE_VIEWER_TOKEN}`);
  for (const [i, id] of Object.keys(fields).entries())
    await expect(page.getByTestId(`office-job-${id}-${jobIds[i]}`)).toBeVisible({
      timeout: 30_000,
    });
  // Some work done (the machines first drive to their sections), so progress and map show it.
  const smallest = page.getByTestId(`office-job-north-${jobIds[0]}`);
  await expect(smallest.getByTestId('office-job-progress')).not.toHaveText('0%', {
    timeout: 60_000,
  });
  for (const theme of ['daylight', 'dark'] as const) {
    await setTheme(page, theme);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `office-overview-${theme}.png`) });
  }
  await page.getByTestId(`office-job-north-${jobIds[0]}`).getByRole('button').click();
  await expect(page.getByTestId('office-view-progress')).not.toHaveText('reading…');
  await expect(page.getByTestId('tractor-marker').first()).toBeVisible({ timeout: 20_000 });
  for (const theme of ['daylight', 'dark'] as const) {
    await setTheme(page, theme);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `office-job-${theme}.png`) });
  }
});
