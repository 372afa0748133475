import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from './command.js';
import { importCommand } from './import.js';

const FIELD = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { name: 'Top' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [9.75, 52.4],
            [9.76, 52.4],
            [9.76, 52.405],
            [9.75, 52.405],
            [9.75, 52.4],
          ],
          [
            [9.752, 52.401],
            [9.752, 52.402],
            [9.753, 52.402],
            [9.753, 52.401],
            [9.752, 52.401],
          ],
        ],
      },
    },
  ],
};

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await importCommand.run(
    args,
    { stdout: (l) => out.push(l), stderr: (l) => err.push(l) },
    new AbortController().signal,
  );
  return { code, out, err };
}

describe('headland import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headland-import-'));
  const file = join(dir, 'fields.geojson');
  writeFileSync(file, JSON.stringify(FIELD));

  it('prints the fields as JSON with --json', async () => {
    const { code, out } = await run([file, '--json']);
    expect(code).toBe(0);
    const parsed = JSON.parse(out[0]!) as {
      fields: { name: string; areaHa: number; holes: number }[];
    };
    expect(parsed.fields).toHaveLength(1);
    expect(parsed.fields[0]!.name).toBe('Top');
    expect(parsed.fields[0]!.holes).toBe(1);
    expect(parsed.fields[0]!.areaHa).toBeGreaterThan(36);
    expect(parsed.fields[0]!.areaHa).toBeLessThan(38);
  });

  it('prints a table by default', async () => {
    const { code, out } = await run([file]);
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/Top\s+3\d\.\d\d\s+1/);
  });

  it('exits 1 with the problem named for a bad file', async () => {
    const bad = join(dir, 'bad.geojson');
    writeFileSync(
      bad,
      JSON.stringify({
        type: 'Polygon',
        coordinates: [
          [
            [9.75, 52.4],
            [9.76, 52.4],
            [9.76, 52.405],
          ],
        ],
      }),
    );
    const { code, err } = await run([bad]);
    expect(code).toBe(1);
    expect(err.join()).toMatch(/4/);
  });

  it('throws a UsageError without a file', async () => {
    await expect(run([])).rejects.toBeInstanceOf(UsageError);
  });
});
