/**
 * A job recorded by `headland serve` and played back by `headland replay`: the page says
 * REPLAY, offers no stop button, seeks, plays at 10× and shows the recorded events in step.
 */
import { test, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { BRIDGE_PATH, type StationSnapshot } from '../shared/index.js';
import { REPO_ROOT, SCREENSHOT_DIR } from './fixtures/station.js';

const TRACTORS = 4;

function start(args: string[], ready: RegExp): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'headland.mjs'), ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start:\n${out}`)), 30_000);
    const scan = (chunk: Buffer): void => {
      out += chunk.toString();
      const url = ready.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url });
      }
    };
    child.stdout.on('data', scan);
    child.stderr.on('data', scan);
    child.once('exit', (code) => reject(new Error(`${args[0]} exited ${code}:\n${out}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}

/** One command over the UI bridge (a fleet stop or a replay control: any page may give them). */
function bridgeCommand(url: string, command: object): Promise<void> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}${BRIDGE_PATH}`);
  return new Promise((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ op: 'command', id: 1, command })));
    ws.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString()) as { op: string }).op === 'result') {
        ws.close();
        resolve();
      }
    });
    ws.on('error', reject);
  });
}

test('a recorded job plays back as a replay, never as a live fleet', async ({ page }) => {
  test.setTimeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'headland-e2e-replay-'));
  const serve = await start(
    ['serve', '--port', '0', '--data', dataDir, '--sim', String(TRACTORS)],
    /^Headland station listening on (http:\/\/\S+)$/m,
  );
  // Record until the fleet has worked some ground, then a fleet stop.
  await expect
    .poll(
      async () =>
        ((await (await page.request.get(`${serve.url}/api/state`)).json()) as StationSnapshot).job
          .progress.workedHa,
      { timeout: 75_000 },
    )
    .toBeGreaterThan(0.05);
  await bridgeCommand(serve.url, { type: 'fleetStop' });
  await page.waitForTimeout(3_000);
  await stop(serve.child);

  const replay = await start(
    ['replay', '--port', '0', '--data', dataDir],
    /^Headland replay of \S+ listening on (http:\/\/\S+)$/m,
  );
  try {
    await page.goto(replay.url);
    const panel = page.getByRole('region', { name: 'Replay' });
    await expect(panel.getByText('REPLAY', { exact: true })).toBeVisible();
    await expect(page.getByTestId('replay-note')).toContainText('no live control');
    await expect(page.getByRole('button', { name: 'Stop all' })).toHaveCount(0);
    const map = page.getByRole('region', { name: 'Field map' });

    // Seek to 12 s: the fleet is at work, the stop is still to come.
    await panel.getByRole('slider', { name: 'Replay time' }).fill('12000');
    await expect(panel.getByTestId('replay-at')).toHaveText('0:12');
    await expect(map.getByTestId('tractor-marker')).toHaveCount(TRACTORS);
    const at12 = (await (
      await page.request.get(`${replay.url}/api/state`)
    ).json()) as StationSnapshot;
    expect(at12.replay?.atMs).toBe(12_000);
    expect(at12.stops).toHaveLength(0);

    // Play at 10×: the time moves on and the recorded stop shows up in the event log.
    await panel.getByRole('button', { name: '10×' }).click();
    await panel.getByRole('button', { name: 'Play' }).click();
    await expect(panel.getByRole('button', { name: '10×' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await page.getByRole('tab', { name: 'Events' }).click();
    const log = page.getByRole('region', { name: 'Event log' });
    await expect(log.getByText('STOP ALL — accepted')).toBeVisible({ timeout: 20_000 });
    const later = (await (
      await page.request.get(`${replay.url}/api/state`)
    ).json()) as StationSnapshot;
    expect(later.replay?.atMs).toBeGreaterThan(12_000);
    expect(later.stops).toHaveLength(1);

    // Paused (it may have reached the end and paused itself already), back to a second before
    // the end: the recorded fleet stop holds every tractor.
    await bridgeCommand(replay.url, { type: 'replayControl', action: 'pause' });
    const endS = Math.floor((later.replay?.durationMs ?? 0) / 1000) - 1;
    // With the keyboard, as an operator would: End, then one step (1 s) back.
    const slider = panel.getByRole('slider', { name: 'Replay time' });
    await slider.focus();
    await slider.press('End');
    await slider.press('ArrowLeft');
    const mmss = `${Math.floor(endS / 60)}:${String(endS % 60).padStart(2, '0')}`;
    await expect(panel.getByTestId('replay-at')).toHaveText(mmss);
    const atEnd = (await (
      await page.request.get(`${replay.url}/api/state`)
    ).json()) as StationSnapshot;
    expect(atEnd.sections.some((x) => x.donePolygons.length > 0)).toBe(true);
    await expect(panel.getByRole('button', { name: 'Play' })).toBeVisible();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'replay.png') });
  } finally {
    await stop(replay.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
