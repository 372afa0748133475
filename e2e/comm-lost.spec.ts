import { join } from 'node:path';
import { SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

test.use({
  simTractors: 4,
  scenario: { faults: [{ atS: 3, tractor: 'sim-03', kind: 'radio-off' }] },
});

test('a tractor that goes silent is shown COMM LOST everywhere and raises an alert to acknowledge', async ({
  page,
  station,
}) => {
  await page.goto(station.url);
  await expect(page.getByTestId('tractor-card-sim-03')).toHaveAttribute('data-state', 'comm-lost', {
    timeout: 20_000,
  });
  await expect(page.getByTestId('attention-banner')).toContainText('COMM LOST: Tractor 3');
  await expect(page.locator('[data-tractor-id="sim-03"]')).toHaveAttribute(
    'data-state',
    'comm-lost',
  );
  const alerts = page.getByRole('region', { name: 'Alerts' });
  await expect(alerts).toContainText('Tractor 3: COMM LOST');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'comm-lost.png') });

  await alerts.getByRole('button', { name: 'Acknowledge: Tractor 3: COMM LOST' }).click();
  // Other alerts may stay (the station also says where Tractor 3's sections went): only this one goes.
  await expect(
    page.getByRole('button', { name: 'Acknowledge: Tractor 3: COMM LOST', exact: true }),
  ).toHaveCount(0);
  // Acknowledging does not hide the condition itself.
  await expect(page.getByTestId('attention-banner')).toContainText('COMM LOST');
});
