/**
 * Alerts to acknowledge: the most severe first and a new info never pushes a critical one
 * down; a severity with several open is acknowledged with one click; what is not listed is
 * counted; the Acknowledge button is never clipped at 1366 px.
 */
import type { Page } from '@playwright/test';
import type { StationSnapshot } from '../shared/index.js';
import { expect, test } from './fixtures/station.js';

test.use({
  simTractors: 3,
  viewport: { width: 1366, height: 768 },
  scenario: {
    faults: [
      { atS: 2, tractor: 'sim-01', kind: 'fail', reason: 'seed blockage' },
      { atS: 2, tractor: 'sim-02', kind: 'fail', reason: 'hydraulic pressure low' },
      { atS: 2, tractor: 'sim-03', kind: 'radio-off' },
      { atS: 6, tractor: 'sim-03', kind: 'radio-on' },
    ],
  },
});

async function openAlerts(page: Page, url: string) {
  const s = (await (await page.request.get(`${url}/api/state`)).json()) as StationSnapshot;
  return s.alerts.filter((a) => !a.acknowledged);
}

test('alerts come most severe first, one severity is acknowledged at once, the rest are counted', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  await expect
    .poll(
      async () =>
        (await openAlerts(page, station.url))
          .map((a) => a.severity)
          .sort()
          .join(','),
      {
        timeout: 30_000,
      },
    )
    // Two faults (each said by the machine and shown as a stop of its own), the radio-cut
    // machine's COMM LOST and, once heard again, its own watchdog's stop.
    .toMatch(/^critical,critical,critical,critical,critical,critical,info$/);
  const strip = page.getByRole('region', { name: 'Alerts' });
  const listed = strip.getByTestId('open-alert');
  // The info ("link restored") is the newest, yet it waits behind every critical one.
  await expect(listed).toHaveCount(3);
  for (const item of await listed.all()) {
    await expect(item).toHaveAttribute('data-severity', 'critical');
    // Listed means seen: no alert of the three lies below the strip's fold.
    await expect(item).toBeInViewport({ ratio: 1 });
  }
  const hidden = strip.getByTestId('alerts-hidden');
  await expect(hidden).toHaveText('4 more not shown (3 critical, 1 info) — all in the Events tab');
  await expect(hidden).toBeInViewport({ ratio: 1 });

  // Nothing clipped: every Acknowledge shows its whole word.
  for (const button of await strip.getByRole('button', { name: /^Acknowledge: / }).all()) {
    await expect(button).toHaveText('Acknowledge');
    expect(await button.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const box = (await button.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1366);
  }

  // One click acknowledges exactly the critical alerts this page showed.
  const before = await openAlerts(page, station.url);
  const critical = before.filter((a) => a.severity === 'critical').map((a) => a.id);
  const info = before.find((a) => a.severity === 'info')!;
  await strip.getByTestId('ack-all-critical').click();
  await expect
    .poll(async () => (await openAlerts(page, station.url)).filter((a) => critical.includes(a.id)))
    .toEqual([]);
  const infoItem = listed.filter({ hasText: info.message });
  await expect(infoItem).toHaveCount(1);
  await infoItem.getByRole('button', { name: /^Acknowledge: / }).click();
  await expect
    .poll(async () => (await openAlerts(page, station.url)).some((a) => a.id === info.id))
    .toBe(false);
});
