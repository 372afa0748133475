import { importFields } from '../fleet/index.js';
import { UsageError, type CliCommand, type CliIo } from './command.js';
import { parseCommandLine } from './flags.js';

const USAGE = `Usage: headland import FILE [--json]

Lists the fields found in FILE (GeoJSON, KML/KMZ, zipped shapefile, ISOXML TASKDATA as .zip or
TASKDATA.XML): name, area in hectares, number of holes. Invalid geometry is refused with the
field and the problem named; nothing is imported then.

  --json   print {"fields":[{"name","areaHa","holes"}]} instead of a table`;

/** Rounds hectares to what a field record shows (0.0001 ha = 1 m²). */
function roundHa(ha: number): number {
  return Math.round(ha * 1e4) / 1e4;
}

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'list the fields in a boundary file (GeoJSON, KML, shapefile zip, ISOXML)',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseCommandLine(argv, { json: { type: 'boolean', default: false } }, 1);
    const [file] = parsed.positionals;
    if (file === undefined) throw new UsageError('missing FILE');
    const result = await importFields(file);
    if (!result.ok) {
      const e = result.error;
      if (parsed.values.json)
        io.stdout(
          JSON.stringify({
            error: { problem: e.geometryProblem ?? e.problem, message: e.message },
          }),
        );
      io.stderr(`headland import: ${e.message}`);
      return 1;
    }
    const fields = result.value.fields.map((f) => ({
      name: f.geometry.name,
      areaHa: roundHa(f.areaHa),
      holes: f.holes,
    }));
    if (parsed.values.json) {
      io.stdout(JSON.stringify({ fields }));
      return 0;
    }
    io.stdout(`${result.value.format}: ${fields.length} field${fields.length === 1 ? '' : 's'}`);
    const width = Math.max(4, ...fields.map((f) => f.name.length));
    io.stdout(`${'name'.padEnd(width)}  ${'area ha'.padStart(10)}  holes`);
    for (const f of fields)
      io.stdout(
        `${f.name.padEnd(width)}  ${f.areaHa.toFixed(2).padStart(10)}  ${String(f.holes).padStart(5)}`,
      );
    return 0;
  },
};
