/**
 * `headland office`: the farm office, one live copy of every station's jobs (docs/office.md).
 * Prints exactly one line `Headland office listening on http://HOST:PORT` on stdout when ready;
 * logs go to stderr.
 */
import { resolve } from 'node:path';
import { AccessError, isOfficeId, startOffice, type StationToken } from '../office/index.js';
import { RENDERER_DIST_DIR } from '../runtime/index.js';
import { MIN_TOKEN_LENGTH, generateToken } from '../server/index.js';
import { UsageError, type CliCommand } from './command.js';
import { parseFlags, parseHostPort, parseIntegerFlag, untilAborted } from './flags.js';

const USAGE = `Usage: headland office [options]

Runs the farm office: a Hocuspocus server that holds a live copy of every station's jobs, as
document <station-id>/<job-id> (a station runs 'headland serve --upstream ws://HOST:PORT
--station-id ID --upstream-token TOKEN'), and serves the office page at / (open it with
?token=VIEWER-TOKEN; the link is printed on stderr).

Options:
  --port PORT      HTTP and WebSocket port (0 picks a free one; default 8090)
  --host HOST      address to listen on (default 127.0.0.1)
  --data DIR       folder of the office's documents (office.db; default ./office-data)
  --redis URL      share documents and awareness with other office nodes through Redis
                   (redis://HOST:PORT)
  --station-token ID:TOKEN  station ID's token: opens and writes that station's jobs only
                   (repeatable, one per station)
  --viewer-token T token that reads every job and writes none, and reads the overview at
                   GET /api/office/jobs (Authorization: Bearer T) and the page at /; repeatable; one is
                   generated and printed on stderr when none is given
  -h, --help       show this help`;

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  redis: { type: 'string' },
  'station-token': { type: 'string', multiple: true },
  'viewer-token': { type: 'string', multiple: true },
} as const;

export const officeCommand: CliCommand = {
  name: 'office',
  stopsOnSignal: true,
  summary: "run the farm office: a live copy of every station's jobs",
  usage: USAGE,
  async run(argv, io, signal) {
    const values = parseFlags(argv, FLAGS);
    const port = parseIntegerFlag('--port', values.port ?? '8090', 0, 65535);
    const host = values.host ?? '127.0.0.1';
    const stations = (values['station-token'] ?? []).map(stationToken);
    const viewerTokens = (values['viewer-token'] ?? []).map((t) => token('--viewer-token', t));
    if (viewerTokens.length === 0) {
      viewerTokens.push(generateToken());
      io.stderr(`office: viewer token ${viewerTokens[0]}`);
    }
    if (stations.length === 0)
      io.stderr('office: no --station-token given: no station can write to this office');
    let office;
    try {
      office = await startOffice({
        port,
        host,
        dataDir: resolve(values.data ?? './office-data'),
        stations,
        viewerTokens,
        staticDir: RENDERER_DIST_DIR,
        ...(values.redis ? { redis: redisAddress(values.redis) } : {}),
        log: (line) => io.stderr(line),
      });
    } catch (err) {
      if (err instanceof AccessError) throw new UsageError(err.message);
      throw err;
    }
    if (values.redis) io.stderr(`office: sharing documents through ${values.redis}`);
    io.stderr(`office: page http://${host}:${office.port}/?token=${viewerTokens[0]}`);
    io.stdout(`Headland office listening on http://${host}:${office.port}`);
    await untilAborted(signal);
    io.stderr('office: shutting down, storing the documents');
    await office.close();
    return 0;
  },
};

function token(flag: string, value: string): string {
  if (value.length < MIN_TOKEN_LENGTH)
    throw new UsageError(`${flag} must be at least ${MIN_TOKEN_LENGTH} characters`);
  return value;
}

function stationToken(raw: string): StationToken {
  const colon = raw.indexOf(':');
  const stationId = colon < 0 ? '' : raw.slice(0, colon);
  if (!isOfficeId(stationId))
    throw new UsageError(
      `--station-token expects ID:TOKEN (ID of letters, digits, '.', '_', '-'), got '${raw}'`,
    );
  return { stationId, token: token('--station-token', raw.slice(colon + 1)) };
}

function redisAddress(raw: string): { host: string; port: number } {
  const match = /^redis:\/\/([^/\s]+?)\/?$/.exec(raw);
  if (!match?.[1]) throw new UsageError(`--redis expects redis://HOST:PORT, got '${raw}'`);
  return parseHostPort('--redis', match[1]);
}
