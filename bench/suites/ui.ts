/**
 * UI smoothness under load: headless Chromium against `headland serve --sim 20` for 60 s
 * (BENCH_UI_SECONDS overrides). Frame times from requestAnimationFrame, long tasks from the
 * Long Tasks API, heap from the DevTools protocol after forced garbage collection.
 */
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../../e2e/browser.js';
import { percentile, round, type BenchSuite } from '../harness.js';
import { startServe } from '../serve-process.js';

/** Longer than the 30 s a trail takes to fill (renderer/map/use-tractor-layer.ts). */
const SETTLE_MS = 35_000;
const TRACTORS = 20;
const HEAP_READINGS = 5;
const HEAP_READING_GAP_MS = 300;
const SECONDS = Number(process.env.BENCH_UI_SECONDS ?? '60');
/** A field laptop's screen: the whole fleet list (20 rows) is on screen beside the map. */
const VIEWPORT = { width: 1366, height: 768 };

interface PageFigures {
  frames: number[];
  longTasks: number;
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

export const suite: BenchSuite = {
  name: 'ui',
  description: `headless Chromium, ${TRACTORS} simulated tractors, ${SECONDS} s`,
  async run() {
    const serve = await startServe(TRACTORS, process.env.BENCH_UI_IDLE ? ['--no-start'] : []);
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
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
      await page.waitForTimeout(SETTLE_MS);
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
      const figures = await page.evaluate<PageFigures>(`(${MEASURE_IN_PAGE})(${SECONDS})`);
      const heapEnd = await heapFloor();
      const jobEnd = await jobShare();
      const conditions = {
        tractors: TRACTORS,
        seconds: SECONDS,
        frames: figures.frames.length,
        browser: 'chromium headless',
        viewport: `${VIEWPORT.width}x${VIEWPORT.height}`,
      };
      return [
        {
          name: 'ui.frame_p95_ms',
          value: round(percentile(figures.frames, 95), 2),
          unit: 'ms',
          conditions,
        },
        {
          name: 'ui.long_tasks_per_min',
          value: round((figures.longTasks * 60) / SECONDS, 2),
          unit: 'count/min',
          conditions,
        },
        {
          name: 'ui.heap_growth_mb_per_10min',
          value: round(((heapEnd.floor - heapStart.floor) / 1e6) * (600 / SECONDS), 2),
          unit: 'MB/10min',
          conditions: {
            ...conditions,
            settle_s: SETTLE_MS / 1000,
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
      await serve.stop();
    }
  },
};
