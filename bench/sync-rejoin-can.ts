/**
 * sync.rejoin_can_ms: the station and 20 simulated tractors on a 64 ha field, every
 * machine an ISOBUS node on one 250 kbit/s virtual CAN bus, every tractor holding a replica of
 * the job document and recording its own coverage (electron/runtime/simulation.ts, as `headland serve`
 * runs them). One tractor's radio is cut for 10 simulated minutes while the other 19 work; then
 * it comes back, and the figure is the time from the radio returning until its replica's state
 * vector equals the station's (the content is then compared byte for byte).
 *
 * Time is bus time: a ManualClock steps the whole system 1 ms at a time and the VirtualBus
 * gives every frame its real wire time at 250 kbit/s (arbitration by identifier, bit stuffing),
 * so the figure is what the bus allows, not what this CPU does. The CPU time of the rejoin
 * window is reported beside it. Safety traffic during the rejoin: the station's heartbeat gaps
 * on the wire (nominal 25 ms), and an e-stop sent to the rejoining tractor while its catch-up
 * transfer is on the wire, timed to the tractor's stop confirm.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createSimulatedStation, loadField, PACKAGE_ROOT } from '../electron/runtime/index.js';
import { decodeIdentifier } from '../electron/isobus/index.js';
import { PGN_HEARTBEAT, ref32 } from '../electron/link/index.js';
import { ManualClock } from '../electron/time/index.js';
import { type BenchResult, percentile, round } from './harness.js';

const TRACTORS = 20;
const BITRATE = 250_000;
const OFFLINE_ID = 'sim-07';
const OFFLINE_MS = 10 * 60_000;
const WARMUP_MS = 30_000;
/**
 * The largest bundled field (64 ha): twenty 12 m implements are still at work on it after the
 * ten minutes (the 6.5 ha demo farm is finished within them, and finished machines write nothing).
 */
const FIELD = {
  path: join(PACKAGE_ROOT, 'assets', 'fields', 'quarter-section.geojson'),
  label: 'quarter-section (64 ha)',
};
const ESTOP_AFTER_MS = 300;
const LIMIT_MS = 180_000;

const sv = (doc: Y.Doc): string => Buffer.from(Y.encodeStateVector(doc)).toString('base64');

export interface RejoinOptions {
  /** How long the tractor is out of contact (10 simulated minutes in the reference run). */
  offlineMs?: number;
  /** Work before the measured part, after every replica has joined. */
  warmupMs?: number;
  /**
   * The field worked; its job document is what every replica first fetches over the bus, so a
   * smaller one joins sooner (the quarter-section's takes ~98 simulated seconds).
   */
  field?: { path: string; label: string };
}

export async function rejoinOverCan(options: RejoinOptions = {}): Promise<BenchResult[]> {
  const offlineMs = options.offlineMs ?? OFFLINE_MS;
  const warmupMs = options.warmupMs ?? WARMUP_MS;
  const field = options.field ?? FIELD;
  const clock = new ManualClock();
  const dir = mkdtempSync(join(tmpdir(), 'headland-bench-rejoin-'));
  const sim = createSimulatedStation({
    clock,
    field: await loadField(field.path),
    simCount: TRACTORS,
    link: 'can',
    syncDir: dir,
  });
  const { station, canBus, fleet, replicas, replicaHub } = sim;
  if (!canBus || !fleet || !replicas || !replicaHub) throw new Error('rejoin bench needs CAN');
  const run = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t++) {
      clock.advance(1);
      for (let i = 0; i < 4; i++) await Promise.resolve();
    }
  };
  const recorded = (): number =>
    [...replicas.replicas.values()].reduce((n, r) => n + r.segmentsRecorded, 0);
  const replicaOf = (id: string) => {
    const r = replicas.replicas.get(id);
    if (!r) throw new Error(`no replica ${id}`);
    return r;
  };
  try {
    const stationAddress = (): number | undefined => fleet.station.address;
    const heartbeats: number[] = [];
    const offWire = canBus.onWire((frame) => {
      const id = decodeIdentifier(frame.id);
      if (id.pgn === PGN_HEARTBEAT && id.source === stationAddress()) heartbeats.push(clock.now());
    });

    await run(2_000);
    const joinT0 = clock.now();
    if (!station.command({ type: 'startJob' }, 'bench').ok) throw new Error('job did not start');
    const jobDoc = (): Y.Doc => {
      const job = station.jobDocument();
      if (!job) throw new Error('no job document');
      return job.doc;
    };
    const allSynced = (): boolean =>
      [...replicas.replicas.values()].every((r) => sv(r.job.doc) === sv(jobDoc()));
    while (!allSynced() && clock.now() - joinT0 < LIMIT_MS) await run(10);
    const joinMs = clock.now() - joinT0;
    await run(warmupMs);

    const bitsAt = canBus.stats().bitsTransmitted;
    await run(10_000);
    const loadBeforeCut = (canBus.stats().bitsTransmitted - bitsAt) / (BITRATE * 10);
    const moving = (): number =>
      station.snapshot().tractors.filter((t) => t.state === 'working' || t.state === 'turning')
        .length;
    const movingAtCut = moving();
    const segmentsAtCut = recorded();
    sim.transport.setConnected(OFFLINE_ID, false);
    await run(offlineMs);
    const movingAtRejoin = moving();
    const segmentsOffline = recorded() - segmentsAtCut;
    const replica = replicaOf(OFFLINE_ID);
    const missing = Y.encodeStateAsUpdate(jobDoc(), Y.encodeStateVector(replica.job.doc));
    const claimsMissed =
      jobDoc().getMap('assignments').size - replica.job.doc.getMap('assignments').size;
    const peer = replicaHub.peer(OFFLINE_ID);
    const sentBefore = peer?.totals ?? null;
    const busy = canBus.stats();
    const hbFrom = heartbeats.length;

    let estopSentMs = Number.NaN;
    let estopConfirmMs = Number.NaN;
    const stopRef = ref32('bench-rejoin-stop');
    const offConfirm = fleet.station.onBroadcast((from, _src, event) => {
      if (event.kind === 'stop-confirm' && from === OFFLINE_ID && event.frame.stopRef === stopRef)
        if (Number.isNaN(estopConfirmMs)) estopConfirmMs = clock.now();
    });

    const claimsAtRejoin = jobDoc().getMap('assignments').size;
    const cpuT0 = performance.now();
    const t0 = clock.now();
    sim.transport.setConnected(OFFLINE_ID, true);
    let midTransfer = false;
    while (sv(replica.job.doc) !== sv(jobDoc()) && clock.now() - t0 < LIMIT_MS) {
      await run(1);
      if (Number.isNaN(estopSentMs) && clock.now() - t0 >= ESTOP_AFTER_MS) {
        midTransfer = sv(replica.job.doc) !== sv(jobDoc());
        const target = fleet.tractor(OFFLINE_ID).link.address ?? 0xff;
        estopSentMs = clock.now();
        fleet.station.sendEstop(target, stopRef);
      }
    }
    const rejoinMs = clock.now() - t0;
    const claimsDuringRejoin = jobDoc().getMap('assignments').size - claimsAtRejoin;
    const cpuMs = performance.now() - cpuT0;
    const identical =
      Buffer.compare(
        Buffer.from(Y.encodeStateAsUpdate(replica.job.doc)),
        Buffer.from(Y.encodeStateAsUpdate(jobDoc())),
      ) === 0;
    const busAfter = canBus.stats();
    const busLoad =
      (busAfter.bitsTransmitted - busy.bitsTransmitted) /
      ((BITRATE * Math.max(1, rejoinMs)) / 1000);
    const gaps = heartbeats
      .slice(hbFrom)
      .filter((t) => t <= t0 + rejoinMs)
      .map((t, i, all) => (i === 0 ? 0 : t - (all[i - 1] ?? t)))
      .slice(1);
    await run(500);
    offConfirm();
    offWire();
    const sent = peer?.totals;
    const conditions = {
      clock: 'bus time (ManualClock, VirtualBus wire timing)',
      field: field.label,
      tractors: TRACTORS,
      offline_min: offlineMs / 60_000,
      warmup_s: warmupMs / 1000,
      bitrate: BITRATE,
      tractors_moving_at_cut: movingAtCut,
      tractors_moving_at_rejoin: movingAtRejoin,
      segments_recorded_while_offline: segmentsOffline,
      assignment_claims_written_while_offline: claimsMissed,
      // The tractor comes back stopped by its own silence stop: it is replanned in at its release.
      assignment_claims_written_during_rejoin: claimsDuringRejoin,
      missing_update_bytes: missing.byteLength,
      bus_load_before_cut: round(loadBeforeCut, 3),
      sent_bytes_before_deflate:
        sent && sentBefore ? sent.bytesBeforeCompression - sentBefore.bytesBeforeCompression : -1,
      sent_bytes_on_link: sent && sentBefore ? sent.bytesSent - sentBefore.bytesSent : -1,
      bus_load_during_rejoin: round(busLoad, 3),
      identical_content: identical,
      cpu_ms: round(cpuMs, 0),
      initial_join_ms: joinMs,
      doc_bytes: Y.encodeStateAsUpdate(jobDoc()).byteLength,
      gate_rejections: replicaHub.stats().gate?.rejected ?? -1,
    };
    return [
      { name: 'sync.rejoin_can_ms', value: rejoinMs, unit: 'ms', conditions },
      {
        name: 'sync.rejoin_can_heartbeat_gap_p99_ms',
        value: round(percentile(gaps, 99), 2),
        unit: 'ms',
        conditions: {
          clock: conditions.clock,
          nominal_ms: 25,
          max_ms: round(Math.max(...gaps), 2),
          samples: gaps.length,
        },
      },
      {
        name: 'sync.rejoin_can_estop_confirm_ms',
        value: round(estopConfirmMs - estopSentMs, 2),
        unit: 'ms',
        conditions: {
          clock: conditions.clock,
          sent_after_ms: ESTOP_AFTER_MS,
          during_transfer: midTransfer,
        },
      },
    ];
  } finally {
    sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
