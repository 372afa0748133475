/**
 * A simulated tractor's replica of the job document (docs/sync-schema.md, "Fleet link
 * transport"). It syncs with the station over the tractor's own fleet-link node (the sync
 * lane), sending only what this tractor wrote (`ownWritesOnly`), and judges everything the
 * station sends with its own UpdateGate (as a station's). It records the tractor's coverage
 * itself: `wrap(port)` returns the tractor's port with a tap on what the tractor says — its
 * implement width from the hello, its positions and state from telemetry — and the positions
 * (1 Hz) go through the CoverageRecorder into the tractor's own coverage log, in the job's local
 * frame (meta.frameOrigin). Positions from before the replica has the job are kept (bounded)
 * and recorded once it has. After a disconnection the replica keeps recording; on rejoin a
 * state-vector exchange sends the station only what it lacks, and back only what it missed.
 */
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { LonLat } from '../../shared/index.js';
import { TangentFrame } from '../fleet/index.js';
import {
  STATION_ADDRESS,
  type FleetLinkNode,
  type TractorPort,
  type TractorToStation,
} from '../link/index.js';
import {
  CoverageRecorder,
  FleetSyncPeer,
  JobDoc,
  UpdateGate,
  type SwathSegment,
} from '../sync/index.js';
import type { Clock } from '../time/index.js';

/** Positions go to the recorder at 1 Hz (docs/sync-schema.md, coverage). */
export const COVERAGE_SAMPLE_MS = 1_000;
/** How often the replica looks at the station's reachability. */
export const REPLICA_TICK_MS = 100;
/** Positions kept while the replica does not yet know the job's frame: one hour at 1 Hz. */
const MAX_EARLY_SAMPLES = 3_600;

export interface TractorReplicaOptions {
  readonly id: string;
  /** The tractor's own fleet-link node. */
  readonly link: FleetLinkNode;
  readonly clock: Clock;
  /** The station's fleet id (default `station`). */
  readonly stationId?: string;
  readonly log?: (line: string) => void;
}

interface Sample {
  tMs: number;
  position: LonLat;
  working: boolean;
}

export class TractorReplica {
  readonly id: string;
  readonly job: JobDoc;
  /** Judges what the station sends (a station may write everything within the rules). */
  readonly gate: UpdateGate;
  readonly sync: FleetSyncPeer;
  /** Segments this tractor has appended to its own coverage log. */
  segmentsRecorded = 0;
  private readonly awareness: Awareness;
  private readonly recorder: CoverageRecorder;
  private frame: TangentFrame | null = null;
  private widthM = 0;
  private lastSampleMs = -Infinity;
  private lastWorking = false;
  private early: Sample[] = [];
  private cancelTimer: () => void = () => undefined;
  private closed = false;

  constructor(private readonly options: TractorReplicaOptions) {
    this.id = options.id;
    this.job = new JobDoc({
      actor: { role: 'tractor', id: options.id },
      clock: options.clock,
      doc: new Y.Doc(),
    });
    this.gate = new UpdateGate(this.job.doc, options.clock);
    this.awareness = new Awareness(this.job.doc);
    this.awareness.setLocalState(null);
    this.recorder = new CoverageRecorder((segment) => this.append(segment));
    const stationId = options.stationId ?? STATION_ADDRESS;
    this.sync = new FleetSyncPeer({
      link: options.link,
      peer: stationId,
      doc: this.job.doc,
      gate: this.gate,
      awareness: this.awareness,
      principal: { role: 'station', id: stationId },
      clock: options.clock,
      ownWritesOnly: true,
      ...(options.log ? { log: options.log } : {}),
    });
    this.schedule();
  }

  /** The tractor's port, with a tap that records its coverage from what it reports. */
  wrap(port: TractorPort): TractorPort {
    return {
      address: port.address,
      ...(port.stationSideId === undefined ? {} : { stationSideId: port.stationSideId }),
      send: (message) => {
        this.observe(message);
        port.send(message);
      },
      onMessage: (handler) => port.onMessage(handler),
    };
  }

  /** What the tractor reports: its width (hello) and its position and state (telemetry). */
  observe(message: TractorToStation): void {
    if (message.kind === 'hello') this.widthM = message.implementWidthM;
    if (message.kind !== 'telemetry' || this.closed) return;
    // While the station is in contact it records what it hears (docs/sync-schema.md); the
    // replica keeps the log itself only while the station cannot hear it (store and forward).
    if (this.sync.state === 'syncing') {
      this.recorder.flush();
      this.lastSampleMs = -Infinity;
      return;
    }
    const tMs = this.options.clock.wallNow();
    const working = message.state === 'working';
    if (working === this.lastWorking && tMs - this.lastSampleMs < COVERAGE_SAMPLE_MS) return;
    this.lastSampleMs = tMs;
    this.lastWorking = working;
    this.record({ tMs, position: message.position, working });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelTimer();
    this.sync.close();
    this.awareness.destroy();
    this.job.destroy();
  }

  private record(sample: Sample): void {
    const frame = this.frame ?? this.findFrame();
    if (!frame) {
      this.early.push(sample);
      if (this.early.length > MAX_EARLY_SAMPLES) this.early.shift();
      return;
    }
    const [xM, yM] = frame.toLocal(sample.position);
    this.recorder.add({ tMs: sample.tMs, xM, yM, widthM: this.widthM, working: sample.working });
  }

  /** The job's local frame, once the replica holds the job's meta (then the early samples go in). */
  private findFrame(): TangentFrame | null {
    const origin = this.job.frameOrigin();
    if (!origin) return null;
    const [lon, lat] = origin;
    this.frame = new TangentFrame({ lon, lat });
    const early = this.early;
    this.early = [];
    for (const sample of early) this.record(sample);
    return this.frame;
  }

  private append(segment: SwathSegment): void {
    this.job.appendCoverage(this.id, [segment]);
    this.segmentsRecorded++;
  }

  private schedule(): void {
    this.cancelTimer = this.options.clock.setTimer(REPLICA_TICK_MS, () => {
      if (this.closed) return;
      this.sync.tick();
      if (!this.frame && this.early.length > 0) this.findFrame();
      this.schedule();
    });
  }
}
