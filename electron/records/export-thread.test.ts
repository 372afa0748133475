import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportDownload } from './export-download.js';
import { ExportError } from './export-error.js';
import { ExportThread } from './export-thread.js';
import { JOB_ID, buildJobFolder, standardCoverage } from './test-helpers/job-folder.js';

let dir: string;
let exporter: ExportThread;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'records-export-thread-'));
  buildJobFolder(dir, standardCoverage().coverage);
  exporter = new ExportThread();
});
afterEach(async () => {
  await exporter.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('exports in a thread of their own', () => {
  it('renders the same file as on the main thread, one request after another', async () => {
    const here = await exportDownload(dir, JOB_ID, 'geojson', 'test');
    const [there, again] = await Promise.all([
      exporter.export(dir, JOB_ID, 'geojson', 'test'),
      exporter.export(dir, JOB_ID, 'csv', 'test'),
    ]);
    expect(there.fileName).toBe(here.fileName);
    expect(there.contentType).toBe(here.contentType);
    expect(Buffer.from(there.bytes).equals(Buffer.from(here.bytes))).toBe(true);
    expect(again.contentType).toMatch(/^text\/csv/);
  });

  it('says what went wrong as the same typed error (a job that is not there)', async () => {
    const failed = await exporter
      .export(dir, 'no-such-job', 'isoxml', 'test')
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ExportError);
    expect((failed as ExportError).problem).toBe('not-found');
  });
});
