import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './browser.js';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../test-results/e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    launchOptions: chromiumLaunchOptions(),
    // Playwright's default persistent profile is not used: every test gets a fresh context.
  },
});
