/**
 * An in-memory fleet for convergence tests: station and tractor replicas, links that can be
 * cut, and message queues that lose, duplicate and reorder updates. Every delivery goes
 * through the receiver's UpdateGate under the sender's principal, as on a real transport.
 */
import * as Y from 'yjs';
import { ManualClock } from '../../time/index.js';
import { JobDoc, isLocalOrigin } from '../job-doc.js';
import type { Principal } from '../principal.js';
import { encodeOwnWrites } from '../sync-session.js';
import { UpdateGate } from '../update-gate.js';
import { createStationJob, replicaOf, sampleJobInit, station, tractor } from './builders.js';

export interface Replica {
  readonly name: string;
  readonly principal: Principal;
  readonly job: JobDoc;
  readonly gate: UpdateGate;
}

interface Message {
  readonly from: number;
  readonly to: number;
  readonly update: Uint8Array;
}

export class FleetNetwork {
  readonly replicas: Replica[] = [];
  readonly clock = new ManualClock();
  private queue: Message[] = [];
  private readonly down = new Set<string>();

  constructor(stations: number, tractors: number, sections: number) {
    const tractorIds = Array.from({ length: tractors }, (_, i) => `t${i + 1}`);
    const first = createStationJob(this.clock, sampleJobInit(sections, tractorIds));
    const add = (name: string, principal: Principal, job: JobDoc): void => {
      const index = this.replicas.length;
      const gate = new UpdateGate(job.doc, this.clock);
      this.replicas.push({ name, principal, job, gate });
      job.doc.on('update', (update: Uint8Array, origin: unknown) =>
        this.fanOut(index, update, origin),
      );
    };
    add('st1', { role: 'station', id: 'st1' }, first);
    for (let i = 2; i <= stations; i++)
      add(
        `st${i}`,
        { role: 'station', id: `st${i}` },
        replicaOf(first, station(`st${i}`), this.clock),
      );
    for (const id of tractorIds)
      add(id, { role: 'tractor', id }, replicaOf(first, tractor(id), this.clock));
  }

  /** Tractors talk to stations only; stations to everyone. */
  neighbours(i: number): number[] {
    const me = this.replicas[i];
    return this.replicas
      .map((_, j) => j)
      .filter(
        (j) =>
          j !== i &&
          (me?.principal.role === 'station' || this.replicas[j]?.principal.role === 'station'),
      );
  }

  linkKey(a: number, b: number): string {
    return a < b ? `${a}-${b}` : `${b}-${a}`;
  }

  setLink(a: number, b: number, up: boolean): void {
    if (up) this.down.delete(this.linkKey(a, b));
    else this.down.add(this.linkKey(a, b));
  }

  pending(): number {
    return this.queue.length;
  }

  /** Delivers queued message `k` (mod length): reordering is choosing which. */
  deliver(k: number, duplicate = false): void {
    if (this.queue.length === 0) return;
    const idx = k % this.queue.length;
    const msg = this.queue[idx];
    if (!msg) return;
    if (!duplicate) this.queue.splice(idx, 1);
    if (this.down.has(this.linkKey(msg.from, msg.to))) return; // lost on a cut link
    this.receive(msg.from, msg.to, msg.update);
  }

  drop(k: number): void {
    if (this.queue.length > 0) this.queue.splice(k % this.queue.length, 1);
  }

  /** Heals every link and runs state-vector anti-entropy until nothing changes. */
  heal(): number {
    this.down.clear();
    this.queue = [];
    for (let round = 1; round <= 10; round++) {
      let changed = false;
      for (let a = 0; a < this.replicas.length; a++) {
        for (const b of this.neighbours(a)) changed = this.pull(b, a) || changed;
      }
      this.queue = [];
      if (!changed) return round;
    }
    return -1;
  }

  /** `to` sends its state vector; `from` answers with a step 2, judged by `to`. */
  private pull(from: number, to: number): boolean {
    const src = this.replicas[from];
    const dst = this.replicas[to];
    if (!src || !dst) return false;
    const sv = Y.encodeStateVector(dst.job.doc);
    const update =
      src.principal.role === 'tractor'
        ? encodeOwnWrites(src.job.doc, sv)
        : Y.encodeStateAsUpdate(src.job.doc, sv);
    const result = dst.gate.apply(update, src.principal, `from:${src.name}`);
    return result.ok && result.changed;
  }

  private receive(from: number, to: number, update: Uint8Array): void {
    const src = this.replicas[from];
    this.replicas[to]?.gate.apply(
      update,
      src?.principal ?? { role: 'viewer', id: '?' },
      `from:${src?.name ?? '?'}`,
    );
  }

  private fanOut(index: number, update: Uint8Array, origin: unknown): void {
    const me = this.replicas[index];
    if (!me) return;
    // Tractors relay nothing; stations relay what they accepted (not back to its sender).
    if (me.principal.role === 'tractor' && !isLocalOrigin(origin)) return;
    for (const to of this.neighbours(index)) {
      if (origin === `from:${this.replicas[to]?.name ?? ''}`) continue;
      this.queue.push({ from: index, to, update });
    }
  }
}
