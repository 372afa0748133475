import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { sectionLabel, type StationSnapshot } from '../shared/index.js';
import { openCard } from './fixtures/fleet.js';
import { SCREENSHOT_DIR, expect, test } from './fixtures/station.js';

const TRACTORS = 4;
const IDS = Array.from({ length: TRACTORS }, (_, i) => `sim-${String(i + 1).padStart(2, '0')}`);

async function state(page: Page, url: string): Promise<StationSnapshot> {
  return (await (await page.request.get(`${url}/api/state`)).json()) as StationSnapshot;
}

/** 'ok' once every tractor reports `mode`; otherwise what the station says, to explain a failure. */
async function fleetModeIs(page: Page, url: string, mode: string): Promise<string> {
  const s = await state(page, url);
  if (s.tractors.every((t) => t.mode === mode)) return 'ok';
  return JSON.stringify({
    modes: s.tractors.map((t) => `${t.id}:${t.mode}:${t.state}`),
    modeChange: s.modeChange,
    alerts: s.alerts.slice(-4).map((a) => a.message),
  });
}

async function switchFleet(page: Page, url: string, from: string, to: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^Fleet mode: ${from}`) }).click();
  await page
    .getByRole('group', { name: 'Switch the fleet to' })
    .getByRole('button', { name: new RegExp(`^${to}`) })
    .click();
  // A fleet-wide switch lists every machine it reaches before it acts.
  const confirm = page.getByRole('alertdialog');
  await expect(confirm.getByTestId('group-machines').getByRole('listitem')).toHaveCount(IDS.length);
  await confirm.getByRole('button', { name: `Switch to ${to}` }).click();
  await expect.poll(() => fleetModeIs(page, url, to.toLowerCase())).toBe('ok');
  for (const id of IDS)
    await expect(page.getByTestId(`mode-badge-${id}`)).toHaveAttribute(
      'data-mode',
      to.toLowerCase(),
    );
}

test.describe('modes and keep-out zones', () => {
  test.use({ simTractors: TRACTORS });

  test('switch the fleet to supervised and one tractor to manual; every card shows its mode', async ({
    page,
    station,
  }) => {
    await page.goto(station.url);
    await expect(page.getByTestId('tractor-marker')).toHaveCount(TRACTORS);
    for (const id of IDS)
      await expect(page.getByTestId(`mode-badge-${id}`)).toHaveAttribute('data-mode', 'autonomous');

    await switchFleet(page, station.url, 'Autonomous', 'Supervised');
    await expect(page.getByRole('button', { name: /^Fleet mode: Supervised/ })).toBeVisible();

    // Per tractor, from the keyboard: open the card's menu, choose Manual.
    const card = await openCard(page, 'sim-02');
    await card.getByRole('button', { name: 'Change mode of Tractor 2' }).focus();
    await page.keyboard.press('Enter');
    const menu = card.getByRole('group', { name: 'Switch Tractor 2 to' });
    await expect(menu.getByRole('button', { name: /^Supervised/ })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'mode-menu.png') });
    await menu.getByRole('button', { name: /^Manual/ }).press('Enter');
    await expect(page.getByTestId('mode-badge-sim-02')).toHaveAttribute('data-mode', 'manual');
    await expect(page.getByTestId('mode-badge-sim-01')).toHaveAttribute('data-mode', 'supervised');
    await expect(page.getByRole('button', { name: /^Fleet mode: mixed/ })).toBeVisible();
    const modes = (await state(page, station.url)).tractors.map((t) => [t.id, t.mode]);
    expect(modes).toEqual(IDS.map((id) => [id, id === 'sim-02' ? 'manual' : 'supervised']));
  });

  test('draw a keep-out zone on the map: it is drawn, listed, toggled and removable', async ({
    page,
    station,
  }) => {
    await page.goto(station.url);
    await expect(page.getByTestId('tractor-marker')).toHaveCount(TRACTORS);
    await switchFleet(page, station.url, 'Autonomous', 'Supervised');

    await page.getByRole('tab', { name: 'Zones' }).click();
    const zones = page.getByRole('region', { name: 'Keep-out zones' });
    await zones.getByRole('button', { name: 'Add keep-out zone' }).click();
    const draw = page.getByRole('group', { name: 'Draw keep-out zone' });
    await expect(draw).toContainText('0 of at least 3');

    // Four corners of a square in the middle of the field, clicked on the map.
    const box = (await page.getByTestId('field-map').boundingBox())!;
    const cx = box.x + box.width * 0.45;
    const cy = box.y + box.height * 0.5;
    for (const [dx, dy] of [
      [-50, -40],
      [50, -40],
      [50, 40],
      [-50, 40],
    ] as const)
      await page.mouse.click(cx + dx, cy + dy);
    await expect(draw).toContainText('4 corners');
    await draw.getByLabel('Name').fill('Pond');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'zone-drawing.png') });
    await page.keyboard.press('Enter');
    await expect(draw).toHaveCount(0);

    const zone = (await state(page, station.url)).zones.find((z) => z.name === 'Pond');
    expect(zone?.source).toBe('operator');
    expect(zone?.ring).toHaveLength(4);
    const map = page.getByRole('region', { name: 'Field map' });
    await expect(map.getByTestId('zone-label').filter({ hasText: 'Pond' })).toBeVisible();
    await expect(map.locator('path.keepout-zone--operator')).toHaveCount(1);
    await expect(map.getByRole('list', { name: 'Legend' })).toContainText('keep-out zone');
    await expect(zones.getByTestId(`zone-item-${zone!.id}`)).toContainText('Pond');

    // The layer toggle hides and shows the zones.
    await page.getByText('View', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'Keep-out zones' }).uncheck();
    await expect(map.locator('path.keepout-zone--operator')).toHaveCount(0);
    await page.getByRole('checkbox', { name: 'Keep-out zones' }).check();
    await expect(map.locator('path.keepout-zone--operator')).toHaveCount(1);
    await page.getByText('View', { exact: true }).click();

    await page.getByRole('tab', { name: 'Fleet' }).click();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'zones-and-modes.png') });

    await page.getByRole('tab', { name: 'Zones' }).click();
    await zones.getByRole('button', { name: 'Remove keep-out zone Pond' }).click();
    await expect(map.getByTestId('zone-label').filter({ hasText: 'Pond' })).toHaveCount(0);
    expect((await state(page, station.url)).zones.some((z) => z.name === 'Pond')).toBe(false);
  });
});

/** Sends one command over the UI's own WebSocket bridge, from the page. */
async function command(page: Page, body: object): Promise<unknown> {
  return page.evaluate(
    (cmd) =>
      new Promise((resolve, reject) => {
        // With the page's own (operator) token: a bridge without one is a viewer.
        const token = window.sessionStorage.getItem('headland.token') ?? '';
        const ws = new WebSocket(`ws://${window.location.host}/api/ws?token=${token}`);
        ws.onopen = () => ws.send(JSON.stringify({ op: 'command', id: 1, command: cmd }));
        ws.onmessage = (message) => {
          const data = JSON.parse(String(message.data)) as { op: string; id?: number };
          if (data.op === 'result' && data.id === 1) {
            ws.close();
            resolve(data);
          }
        };
        ws.onerror = () => reject(new Error('bridge socket failed'));
      }),
    body,
  );
}

/** A square `sideM` wide centred `aheadM` in front of a machine, as a [lon, lat] ring. */
function squareAhead(
  [lon, lat]: [number, number],
  headingDeg: number,
  aheadM: number,
  sideM: number,
): [number, number][] {
  const mPerDegLat = 111_320;
  const mPerDegLon = 111_320 * Math.cos((lat * Math.PI) / 180);
  const rad = (headingDeg * Math.PI) / 180;
  const cx = Math.sin(rad) * aheadM;
  const cy = Math.cos(rad) * aheadM;
  const h = sideM / 2;
  return [
    [-h, -h],
    [h, -h],
    [h, h],
    [-h, h],
  ].map(([dx, dy]) => [lon + (cx + dx!) / mPerDegLon, lat + (cy + dy!) / mPerDegLat]);
}

test.describe('zone holds', () => {
  test.use({ simTractors: 2 });

  test("a keep-out zone in a moving tractor's path slows or holds it, and its card says why", async ({
    page,
    station,
  }) => {
    test.setTimeout(120_000);
    await page.goto(station.url);
    await expect(page.getByTestId('tractor-marker')).toHaveCount(2);
    let working: StationSnapshot['tractors'][number] | undefined;
    await expect
      .poll(
        async () => {
          working = (await state(page, station.url)).tractors.find(
            // Working on a swath: a machine on its way to one drives round a new zone instead.
            (t) => t.state === 'working' && t.speedMps > 0 && t.position !== null,
          );
          return working?.id ?? 'none moving yet';
        },
        // The machines drive from the field entrance to their first swath first.
        { timeout: 60_000 },
      )
      .toMatch(/^sim-/);
    const tractor = working!;
    const ring = squareAhead(tractor.position!, tractor.headingDeg, 18, 14);
    expect(await command(page, { type: 'addZone', name: 'Rock', ring })).toMatchObject({
      result: { ok: true },
    });
    const map = page.getByRole('region', { name: 'Field map' });
    await expect(map.getByTestId('zone-label').filter({ hasText: 'Rock' })).toBeVisible();
    // The machine's row says it is held or slowed; its card says why.
    await expect(page.getByTestId(`tractor-card-${tractor.id}`)).toContainText(/HELD|SLOWED/);
    await openCard(page, tractor.id);
    const hold = page.getByTestId(`hold-${tractor.id}`);
    await expect(hold).toContainText(/^(HELD|SLOWED):/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'zone-hold.png') });
  });
});

test.describe('injected station states', () => {
  test.use({ simTractors: 3 });

  test('a mode change under way names who has not answered; a slowed tractor says why', async ({
    page,
    station,
  }) => {
    // Fault injection between the page and the station: every snapshot it receives shows a
    // fleet change to supervised still waiting for Tractor 2, and Tractor 3 slowed.
    const edit = (snapshot: StationSnapshot): StationSnapshot => ({
      ...snapshot,
      modeChange: { mode: 'supervised', scope: 'fleet', waitingFor: ['sim-02'] },
      tractors: snapshot.tractors.map((t) =>
        t.id === 'sim-03'
          ? {
              ...t,
              hold: {
                action: 'slow',
                cause: 'separation',
                reason: 'would come within 5 m of sim-01 in 3.2 s',
              },
            }
          : t,
      ),
    });
    // The page's bridge URL carries its token: match the path with or without a query.
    await page.routeWebSocket(/\/api\/ws(\?|$)/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => server.send(message));
      server.onMessage((message) => {
        const data = JSON.parse(String(message)) as {
          op: string;
          snapshot?: StationSnapshot;
          event?: { type: string; snapshot?: StationSnapshot };
        };
        if (data.op === 'snapshot' && data.snapshot) data.snapshot = edit(data.snapshot);
        if (data.op === 'event' && data.event?.type === 'state' && data.event.snapshot)
          data.event.snapshot = edit(data.event.snapshot);
        ws.send(JSON.stringify(data));
      });
    });
    await page.goto(station.url);
    await expect(page.getByTestId('tractor-marker')).toHaveCount(3);
    await expect(page.getByTestId('mode-change')).toHaveText(
      'Switching fleet to supervised… waiting for Tractor 2',
    );
    await expect(await openCard(page, 'sim-02')).toContainText(
      'Switching to supervised… waiting for its answer',
    );
    await expect(await openCard(page, 'sim-01')).toContainText('Switching to supervised… accepted');
    // No second change while one is under way.
    await expect(page.getByRole('button', { name: /^Fleet mode/ })).toBeDisabled();
    await openCard(page, 'sim-03');
    await expect(page.getByTestId('hold-sim-03')).toHaveText(
      'SLOWED: would come within 5 m of sim-01 in 3.2 s',
    );
    await expect(page.locator('.tractor-marker--held[data-tractor-id="sim-03"]')).toHaveCount(1);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'mode-change-pending.png') });
  });
});

test.describe('refused mode change', () => {
  test.use({
    simTractors: 3,
    scenario: {
      faults: [{ atS: 0, tractor: 'sim-02', kind: 'refuse-mode', reason: 'no RTK fix' }],
    },
  });

  test('one refusal cancels the fleet switch for all; the operator is told who refused', async ({
    page,
    station,
  }) => {
    await page.goto(station.url);
    await expect(page.getByTestId('tractor-marker')).toHaveCount(3);
    await page.getByRole('button', { name: /^Fleet mode: Autonomous/ }).click();
    await page
      .getByRole('group', { name: 'Switch the fleet to' })
      .getByRole('button', { name: /^Supervised/ })
      .click();
    await page
      .getByRole('alertdialog')
      .getByRole('button', { name: 'Switch to Supervised' })
      .click();
    const alerts = page.getByRole('region', { name: 'Alerts' });
    await expect(alerts).toContainText('Mode change to supervised cancelled for all');
    await expect(alerts).toContainText('Tractor 2');
    for (const id of ['sim-01', 'sim-02', 'sim-03'])
      await expect(page.getByTestId(`mode-badge-${id}`)).toHaveAttribute('data-mode', 'autonomous');
    await expect(page.getByTestId('mode-change')).toHaveCount(0);
    const modes = (await state(page, station.url)).tractors.map((t) => t.mode);
    expect(modes).toEqual(['autonomous', 'autonomous', 'autonomous']);
  });
});

test.describe('refused reassignment', () => {
  test.use({
    simTractors: 3,
    scenario: { faults: [{ atS: 3, tractor: 'sim-03', kind: 'radio-off' }] },
  });

  test('a move onto a tractor out of contact is refused and visibly rolled back', async ({
    page,
    station,
  }) => {
    await page.goto(station.url);
    await expect(page.getByTestId('tractor-card-sim-03')).toHaveAttribute(
      'data-state',
      'comm-lost',
      {
        timeout: 20_000,
      },
    );
    const sectionId = (await state(page, station.url)).tractors
      .find((t) => t.id === 'sim-01')!
      .sectionIds.at(-1)!;
    const map = page.getByRole('region', { name: 'Field map' });
    const label = map.locator(`[data-section-id="${sectionId}"]`);
    // Dropped on its row in the fleet list, which nothing on the page covers.
    const target = page.getByTestId('tractor-card-sim-03');
    await target.scrollIntoViewIfNeeded();
    const from = (await label.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + 40, from.y + 40, { steps: 4 });
    await expect(page.getByTestId('drag-ghost')).toContainText(`Moving ${sectionLabel(sectionId)}`);
    // New alerts can push the side panel down while dragging: follow the card until it is
    // the one under the pointer.
    await expect(async () => {
      const to = (await target.boundingBox())!;
      await page.mouse.move(to.x + to.width / 2, to.y + 30, { steps: 4 });
      await expect(target).toHaveClass(/fleet-row--drop/, { timeout: 500 });
    }).toPass();
    await expect(page.getByTestId('drop-effect-sim-03')).toContainText('Cannot take');
    await page.mouse.up();

    const toast = page.getByRole('log', { name: 'Notifications' });
    await expect(toast).toContainText(
      `Move rolled back: ${sectionLabel(sectionId)} stays with Tractor 1`,
    );
    await expect(
      map.locator(`.section-label--rolled-back[data-section-id="${sectionId}"]`),
    ).toBeVisible();
    const card = await openCard(page, 'sim-01');
    await expect(card.locator(`[data-section-id="${sectionId}"]`)).toHaveClass(/rolled-back/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'reassign-rolled-back.png') });
    const holder = (await state(page, station.url)).sections.find((s) => s.id === sectionId);
    expect(holder?.tractorId).toBe('sim-01');
    // The flash ends; the section stays with its holder.
    await expect(map.locator('.section-label--rolled-back')).toHaveCount(0, { timeout: 8_000 });
  });
});
