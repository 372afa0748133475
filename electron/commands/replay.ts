/**
 * `headland replay [JOB]`: serves a job's recording with the normal UI, as `serve` serves a
 * live station. Prints exactly one line `Headland replay of JOB listening on http://HOST:PORT`
 * on stdout when ready; the UI's replay bar (or `replayControl` commands over the bridge) plays,
 * pauses, seeks and sets the speed. Nothing in a replay reaches a machine.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEMO_BASEMAP_DIR, RENDERER_DIST_DIR, SOFTWARE_VERSION } from '../runtime/index.js';
import {
  JobRecorder,
  RECORDINGS_DIR,
  RECORDING_EXTENSION,
  RecordingReadError,
  RecordingReader,
  ReplaySource,
  lastWorkedJobId,
} from '../records/index.js';
import {
  AccessTokens,
  BASEMAP_URL_PATH,
  StationHttpServer,
  StationMetrics,
  describeBasemapDir,
} from '../server/index.js';
import { SystemClock } from '../time/index.js';
import { UsageError, type CliCommand, type CliIo } from './command.js';
import { parseCommandLine, parseIntegerFlag, untilAborted } from './flags.js';

const USAGE = `Usage: headland replay [JOB] [options]

Plays back a job's recording (<data>/recordings/<JOB>.hrec) on the map, with the normal UI
over HTTP: play/pause, seek, 1×–60× speed, the event log in step. Controls no machine.

  JOB             a job id, or 'latest' (default): the job that last worked ground (else the
                  most recently written recording)

Options:
  --data DIR      the folder headland serve --data DIR writes (default ./data)
  --port PORT     HTTP port (0 picks a free one; default 8081)
  --host HOST     address to listen on (default 127.0.0.1)
  --speed X       playback speed, 1–60 (default 1)
  --play          start playing at once (default: paused at the start)
  --basemap DIR   XYZ tiles drawn under the map; 'none' for a plain background
  -h, --help      show this help`;

const REPLAY_FLAGS = {
  data: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  speed: { type: 'string' },
  play: { type: 'boolean' },
  basemap: { type: 'string' },
} as const;

export const replayCommand: CliCommand = {
  name: 'replay',
  stopsOnSignal: true,
  summary: "play back a job's recording on the map (play/pause, seek, 1×–60×)",
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo, signal: AbortSignal): Promise<number> {
    const { values, positionals } = parseCommandLine(argv, REPLAY_FLAGS, 1);
    const port = parseIntegerFlag('--port', values.port ?? '8081', 0, 65535);
    const speed = parseIntegerFlag('--speed', values.speed ?? '1', 1, 60);
    const host = values.host ?? '127.0.0.1';
    const dataDir = resolve(values.data ?? './data');
    const dir = join(dataDir, RECORDINGS_DIR);
    const jobId = positionals[0] ?? 'latest';
    const path = jobId === 'latest' ? latestRecording(dataDir, dir) : recordingOf(dir, jobId);
    if (!path) {
      io.stderr(`replay: no recordings in ${dir}`);
      return 1;
    }
    let reader: RecordingReader;
    try {
      reader = RecordingReader.open(path);
    } catch (err) {
      if (!(err instanceof RecordingReadError)) throw err;
      io.stderr(`replay: ${err.message}${listJobs(dir)}`);
      return 1;
    }
    // A job only opened, never started, has a recording with no field in it: a page of it would
    // look like a blank live station.
    if (reader.eventsOf('plan').length === 0) {
      io.stderr(
        `replay: job ${reader.header.jobId} has nothing recorded (it was never started)${listJobs(dir)}`,
      );
      return 1;
    }
    if (reader.tornBytes > 0)
      io.stderr(
        `replay: ${reader.tornBytes} bytes after the last intact chunk ignored (torn tail)`,
      );
    const basemapDir =
      values.basemap === undefined
        ? DEMO_BASEMAP_DIR
        : values.basemap === 'none'
          ? null
          : resolve(values.basemap);
    const clock = new SystemClock();
    const source = new ReplaySource({
      reader,
      clock,
      softwareVersion: SOFTWARE_VERSION,
      basemap: basemapDir
        ? describeBasemapDir(basemapDir, `${BASEMAP_URL_PATH.slice(1)}{z}/{x}/{y}.png`)
        : null,
      speed,
      play: values.play === true,
    });
    const metrics = new StationMetrics({
      tractors: () => source.tractorCount(),
      stopsActive: () => 0,
      fleetMessages: () => 0,
    });
    const http = new StationHttpServer({
      station: source,
      metrics,
      // Replay controls are a viewer's right (shared/roles.ts): the UI needs no token, and the
      // generated ones open nothing a replay would act on.
      tokens: AccessTokens.generate(),
      clock,
      staticDir: RENDERER_DIST_DIR,
      basemapDir,
      softwareVersion: SOFTWARE_VERSION,
    });
    const bound = await http.listen(port, host);
    io.stderr(
      `replay: ${reader.header.jobId}, ${formatDuration(reader.durationMs)} recorded, ${reader.chunkCount()} chunks`,
    );
    io.stdout(`Headland replay of ${reader.header.jobId} listening on http://${host}:${bound}`);
    await untilAborted(signal);
    source.close();
    await http.close();
    return 0;
  },
};

/** A job's recording, which is always a file of the recordings folder itself. */
function recordingOf(dir: string, jobId: string): string {
  const path = resolve(JobRecorder.pathOf(dir, jobId));
  if (dirname(path) !== resolve(dir))
    throw new UsageError(`'${jobId}' is not a job id (a recording is a file of ${dir})`);
  return path;
}

function recordings(dir: string): { id: string; mtimeMs: number }[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(RECORDING_EXTENSION))
      .map((f) => ({
        id: f.slice(0, -RECORDING_EXTENSION.length),
        mtimeMs: statSync(join(dir, f)).mtimeMs,
      }));
  } catch {
    return [];
  }
}

/** The recording of the job that last worked ground, else the most recently written one. */
function latestRecording(dataDir: string, dir: string): string | null {
  const kept = recordings(dir);
  const worked = lastWorkedJobId(dataDir);
  if (worked !== null && kept.some((r) => r.id === worked)) return JobRecorder.pathOf(dir, worked);
  const newest = kept.sort((a, b) => b.mtimeMs - a.mtimeMs)[0];
  return newest ? JobRecorder.pathOf(dir, newest.id) : null;
}

function listJobs(dir: string): string {
  const ids = recordings(dir).map((r) => r.id);
  return ids.length > 0 ? ` (recorded jobs: ${ids.join(', ')})` : '';
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min ${s % 60} s`;
}
