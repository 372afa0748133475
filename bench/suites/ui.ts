/**
 * UI smoothness under load: headless Chromium against `headland serve --sim 20` for 60 s
 * (BENCH_UI_SECONDS overrides). Frame times from requestAnimationFrame, long tasks from the
 * Long Tasks API, heap from the DevTools protocol after forced garbage collection.
 * Peer (ui.frame_p95_vs_empty_map): an empty Leaflet map page with the same basemap in the
 * same browser (bench/ui-empty-map.ts), measured for half as long before our page and half
 * after it, while the same station runs; its frames against ours, p95 over p95.
 * --quick: 2 s settle, 3 s measured, 2 × 1.5 s of the empty map after 1 s of its own settle.
 */
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../../e2e/browser.js';
import type { Browser, CDPSession, Page } from '@playwright/test';
import type { Basemap } from '../../shared/index.js';
import { percentile, round, trials, type BenchSuite } from '../harness.js';
import { ratioResult } from '../peer.js';
import { startServe } from '../serve-process.js';
import { startEmptyMapPage } from '../ui-empty-map.js';

/** Longer than the 30 s a trail takes to fill (renderer/map/use-tractor-layer.ts). */
const SETTLE_MS = 35_000;
const QUICK_SETTLE_MS = 2_000;
/** Tiles loaded and Leaflet idle before the empty map is measured. */
const EMPTY_MAP_SETTLE_MS = 2_000;
const QUICK_EMPTY_MAP_SETTLE_MS = 1_000;
const TRACTORS = 20;
const HEAP_READINGS = 5;
const HEAP_READING_GAP_MS = 300;
const SECONDS = Number(process.env.BENCH_UI_SECONDS ?? '60');
/** A field laptop's screen: the whole fleet list (20 rows) is on screen beside the map. */
const VIEWPORT = { width: 1366, height: 768 };
const QUICK_SECONDS = 3;

interface PageFigures {
  frames: number[];
  longTasks: number;
  /** Main-thread busy time (DevTools TaskDuration) over the measured span, ms. */
  busyMs?: number;
}

/**
 * Measures frames in `page` for `seconds`, with the main thread's busy time from the DevTools
 * protocol: CPU the page asked for, which the load beside it does not change, where frame times
 * show what it got.
 */
async function measureFrames(page: Page, cdp: CDPSession, seconds: number): Promise<PageFigures> {
  const busy = async (): Promise<number> => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
  };
  const before = await busy();
  const figures = await page.evaluate<PageFigures>(`(${MEASURE_IN_PAGE})(${seconds})`);
  return { ...figures, busyMs: (await busy()) - before };
}

// Plain JavaScript text: functions compiled by tsx carry helper calls that do not exist in the page.
const MEASURE_IN_PAGE = `async (seconds) => {
  const frames = [];
  let longTasks = 0;
  const observer = new PerformanceObserver((list) => { longTasks += list.getEntries().length; });
  observer.observe({ type: 'longtask', buffered: false });
  await new Promise((resolve) => {
    const end = performance.now() + seconds * 1000;
    let last = performance.now();
    const tick = (now) => {
      frames.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick); else resolve();
    };
    requestAnimationFrame(tick);
  });
  observer.disconnect();
  return { frames, longTasks };
}`;

interface StationView {
  station: { basemap: Basemap | null };
  field: { rings: [number, number][][] };
}

/** Frames of the empty map page for `seconds`, in a page of its own that is then closed. */
async function emptyMapFrames(
  browser: Browser,
  url: string,
  seconds: number,
  settleMs: number,
): Promise<PageFigures> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  try {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(url);
    await page.waitForTimeout(settleMs);
    return await measureFrames(page, cdp, seconds);
  } finally {
    await page.close();
  }
}

export const suite: BenchSuite = {
  name: 'ui',
  description: `headless Chromium, ${TRACTORS} simulated tractors, beside an empty Leaflet map`,
  async run(options) {
    const seconds = trials(options, SECONDS, QUICK_SECONDS);
    const settleMs = trials(options, SETTLE_MS, QUICK_SETTLE_MS);
    const emptySettleMs = trials(options, EMPTY_MAP_SETTLE_MS, QUICK_EMPTY_MAP_SETTLE_MS);
    const serve = await startServe(TRACTORS, process.env.BENCH_UI_IDLE ? ['--no-start'] : []);
    const browser = await chromium.launch(chromiumLaunchOptions());
    const view = (await (await fetch(new URL('/api/state', serve.url))).json()) as StationView;
    const basemap = view.station.basemap;
    const emptyMap = basemap ? await startEmptyMapPage(basemap, view.field.rings[0] ?? []) : null;
    try {
      const before = emptyMap
        ? await emptyMapFrames(browser, emptyMap.url, seconds / 2, emptySettleMs)
        : null;
      const page = await browser.newPage({ viewport: VIEWPORT });
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      await page.goto(serve.url);
      await page
        .getByTestId('tractor-marker')
        .nth(TRACTORS - 1)
        .waitFor();
      // Settle: fonts, first layers, JIT, V8 heap growth after start, and the bounded buffers
      // filling — every tractor's trail holds its last 150 positions, full after 30 s.
      await page.waitForTimeout(settleMs);
      const heapBytes = async (): Promise<number> => {
        await cdp.send('HeapProfiler.collectGarbage');
        const { metrics } = await cdp.send('Performance.getMetrics');
        return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      };
      // The retained floor: a reading after GC still holds whatever snapshot is being handled
      // at that instant (a few hundred KB, enough to swing a 60 s figure by 4 MB/10 min), so
      // the least of several readings a little apart is what the page keeps.
      const heapFloor = async (): Promise<{ floor: number; readings: number[] }> => {
        const readings: number[] = [];
        for (let i = 0; i < HEAP_READINGS; i++) {
          if (i > 0) await page.waitForTimeout(HEAP_READING_GAP_MS);
          readings.push(await heapBytes());
        }
        return { floor: Math.min(...readings), readings };
      };
      // Diagnostics: how far the job got, so a heap figure can be read against the worked ground
      // drawn (it grows until the field is done) rather than taken as a steady rate.
      const jobShare = async (): Promise<{ fraction: number; rings: number }> => {
        const state = (await (await fetch(new URL('/api/state', serve.url))).json()) as {
          job: { progress: { fraction: number } };
          sections: { donePolygons: unknown[] }[];
        };
        return {
          fraction: round(state.job.progress.fraction, 3),
          rings: state.sections.reduce((n, s) => n + s.donePolygons.length, 0),
        };
      };
      const heapStart = await heapFloor();
      const jobStart = await jobShare();
      const figures = await measureFrames(page, cdp, seconds);
      const heapEnd = await heapFloor();
      const jobEnd = await jobShare();
      await page.close();
      const after = emptyMap
        ? await emptyMapFrames(browser, emptyMap.url, seconds / 2, emptySettleMs)
        : null;
      const conditions = {
        tractors: TRACTORS,
        seconds,
        frames: figures.frames.length,
        browser: 'chromium headless',
        viewport: `${VIEWPORT.width}x${VIEWPORT.height}`,
      };
      const emptyFrames = [...(before?.frames ?? []), ...(after?.frames ?? [])];
      const peer =
        before && after
          ? [
              ratioResult({
                name: 'ui.frame_p95_vs_empty_map',
                ours: percentile(figures.frames, 95),
                peer: percentile(emptyFrames, 95),
                unit: 'ms',
                peerName:
                  'an empty Leaflet map page: the same Leaflet, basemap tiles and map options, fitted to the same field, in the same browser',
                better: 'lower',
                conditions: {
                  seconds,
                  empty_map_seconds: `${seconds / 2} before + ${seconds / 2} after`,
                  empty_map_settle_s: emptySettleMs / 1000,
                  frames: figures.frames.length,
                  empty_map_frames: emptyFrames.length,
                  main_thread_busy_ms_per_s: round((figures.busyMs ?? 0) / seconds, 1),
                  empty_map_main_thread_busy_ms_per_s: round(
                    ((before.busyMs ?? 0) + (after.busyMs ?? 0)) / seconds,
                    1,
                  ),
                  empty_map_long_tasks_per_min: round(
                    ((before.longTasks + after.longTasks) * 60) / seconds,
                    2,
                  ),
                  server: 'the same headland serve running for both',
                },
              }),
            ]
          : [];
      if (!emptyMap)
        process.stderr.write('bench ui: the station has no basemap: no empty-map peer\n');
      return [
        {
          name: 'ui.frame_p95_ms',
          value: round(percentile(figures.frames, 95), 2),
          unit: 'ms',
          conditions,
        },
        ...peer,
        {
          name: 'ui.long_tasks_per_min',
          value: round((figures.longTasks * 60) / seconds, 2),
          unit: 'count/min',
          conditions,
        },
        {
          name: 'ui.heap_growth_mb_per_10min',
          value: round(((heapEnd.floor - heapStart.floor) / 1e6) * (600 / seconds), 2),
          unit: 'MB/10min',
          conditions: {
            ...conditions,
            settle_s: settleMs / 1000,
            heap_start_mb: round(heapStart.floor / 1e6, 2),
            heap_end_mb: round(heapEnd.floor / 1e6, 2),
            heap_readings: `least of ${HEAP_READINGS} after GC, ${HEAP_READING_GAP_MS} ms apart`,
            heap_start_readings_mb: heapStart.readings.map((b) => round(b / 1e6, 2)).join(' '),
            heap_end_readings_mb: heapEnd.readings.map((b) => round(b / 1e6, 2)).join(' '),
            job_fraction_start: jobStart.fraction,
            job_fraction_end: jobEnd.fraction,
            worked_rings_start: jobStart.rings,
            worked_rings_end: jobEnd.rings,
          },
        },
      ];
    } finally {
      await browser.close();
      await emptyMap?.close();
      await serve.stop();
    }
  },
};
