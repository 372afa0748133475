/**
 * Every text meets WCAG 2.2 AA contrast (4.5:1; 3:1 for large text) in both themes and in
 * every state an operator meets: the fleet running with a card open, the mode menu, a group
 * confirmation, the Undo bar, warning and critical toasts, and a stop with alerts, the release
 * chooser and a release being confirmed. Checked by axe's color-contrast rule.
 */
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { contrastFailures } from './fixtures/axe.js';
import { openCard } from './fixtures/fleet.js';
import { SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

test.use({
  simTractors: 4,
  viewport: { width: 1366, height: 768 },
  // An alert from a machine a few seconds in, so alerts are on screen with the stop.
  scenario: { faults: [{ atS: 12, tractor: 'sim-04', kind: 'fail', reason: 'seed blockage' }] },
});

/** Opens the page in a theme, with a hand on the bridge to push a notice to the page. */
async function openPage(
  page: Page,
  url: string,
  theme: 'daylight' | 'dark',
): Promise<(severity: 'warning' | 'critical', message: string) => void> {
  await page.addInitScript((t) => {
    window.localStorage.setItem('headland.settings', JSON.stringify({ theme: t, units: 'metric' }));
  }, theme);
  let toPage: ((message: string) => void) | null = null;
  await page.routeWebSocket(/\/api\/ws(\?|$)/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => ws.send(message));
    toPage = (message) => ws.send(message);
  });
  await page.goto(url);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  await expect(page.getByTestId('tractor-marker')).toHaveCount(4);
  return (severity, message) =>
    toPage?.(
      JSON.stringify({
        op: 'event',
        event: { type: 'notice', severity, message, atWallMs: Date.now() },
      }),
    );
}

/**
 * Checks the contrast of the page in a state, and that the state was still on screen after the
 * check. axe keeps the page busy for a moment; on a loaded machine that can outlast the bridge's
 * 750 ms watchdog, and the page then shows, correctly, that it cannot stop the fleet until the
 * station is heard again, closing the release panel. The state is then opened again.
 */
async function expectReadable(
  page: Page,
  state: string,
  shown: Locator,
  open: () => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await expect(page.getByRole('button', { name: 'Stop all' })).toBeVisible({ timeout: 10_000 });
    await open();
    await expect(shown).toBeVisible();
    const failures = await contrastFailures(page);
    if ((await shown.isVisible()) || attempt === 3) {
      await expect(shown, `${state}: still shown after the check`).toBeVisible();
      expect.soft(failures, `contrast failures ${state}`).toEqual([]);
      return;
    }
  }
}

for (const theme of ['daylight', 'dark'] as const) {
  test(`every text is readable in the ${theme} theme, in every state`, async ({
    page,
    station,
  }) => {
    const notify = await openPage(page, station.url, theme);
    const card = await openCard(page, 'sim-01');
    await expectReadable(page, 'with the fleet running and a card open', card);

    const modeMenu = page.getByRole('group', { name: 'Switch Tractor 1 to' });
    await expectReadable(page, 'with the mode menu open', modeMenu, async () => {
      if (!(await modeMenu.isVisible()))
        await page.getByRole('button', { name: 'Change mode of Tractor 1' }).click();
    });
    await page.keyboard.press('Escape');

    // A move, then its Undo bar on the map, and a warning toast.
    await card.locator('[data-section-id]').last().click();
    const bar = page.getByRole('group', { name: 'Move selected sections' });
    await bar.getByLabel('Tractor to move the sections to').selectOption('sim-02');
    await bar.getByRole('button', { name: 'Move' }).click();
    const undo = page.getByRole('button', { name: 'Undo' });
    await expect(undo).toBeVisible();
    notify('warning', 'pond.geojson is empty');
    await expectReadable(
      page,
      'with the Undo bar and a warning toast',
      page.locator('.toast--warning'),
    );
    await expect(undo).toBeVisible();
    await page.screenshot({ path: join(SCREENSHOT_DIR, `contrast-undo-toast-${theme}.png`) });

    await page.getByRole('button', { name: 'Pause job' }).click();
    const question = page.getByRole('alertdialog');
    await expectReadable(page, 'with a group confirmation open', question, async () => {
      if (!(await question.isVisible()))
        await page.getByRole('button', { name: 'Resume job' }).click();
    });
    await page.keyboard.press('Escape');
    await expect(question).toHaveCount(0);

    await expect(page.getByRole('region', { name: 'Alerts' })).toBeVisible({ timeout: 30_000 });
    // Armed first: after axe's busy spell on a loaded machine the page may, rightly, not reach
    // the station for a moment, and then the shortcut does nothing.
    await expect(page.getByRole('button', { name: 'Stop all' })).toBeVisible({ timeout: 10_000 });
    await page.keyboard.press('Shift+Escape');
    await expect(page.getByTestId('stop-summary')).toContainText('4 of 4 machines');
    await expectReadable(
      page,
      'with a stop active, alerts and a critical toast',
      page.locator('.toast--critical').first(),
    );
    await page.screenshot({ path: join(SCREENSHOT_DIR, `contrast-stop-${theme}.png`) });

    const chooser = page.getByRole('group', { name: 'Release stopped tractors' });
    await expectReadable(page, 'with the release chooser open', chooser, async () => {
      if (await chooser.isVisible()) return;
      await page.getByRole('button', { name: 'Choose…' }).click();
      await chooser.getByRole('checkbox').first().check();
    });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `contrast-release-chooser-${theme}.png`) });
    await chooser.getByRole('button', { name: 'Cancel' }).click();

    const confirmRelease = page.getByRole('button', { name: 'Release Tractor 2' });
    await expectReadable(page, 'with a release being confirmed', confirmRelease, async () => {
      if (!(await confirmRelease.isVisible())) await page.getByTestId('release-sim-02').click();
    });
  });
}
