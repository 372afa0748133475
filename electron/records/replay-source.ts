/**
 * A recording played back behind the same face as a live station (snapshot, subscribe,
 * execute), so the HTTP server and the WebSocket bridge serve it unchanged. It accepts only
 * `replayControl` commands: play, pause, seek and speed (1× to 60×); everything else is refused
 * — a replay controls no machine.
 */
import {
  commandFailed,
  commandOk,
  type Basemap,
  type Command,
  type CommandResult,
  type StationEvent,
  type StationSnapshot,
} from '../../shared/index.js';
import type { Clock } from '../time/index.js';
import type { RecordingReader } from './recording-reader.js';
import { replaySnapshot } from './replay-snapshot.js';

/** Snapshots are pushed this often while playing (as often as a live station publishes). */
export const REPLAY_PUBLISH_MS = 200;
export const REPLAY_MIN_SPEED = 1;
export const REPLAY_MAX_SPEED = 60;

export interface ReplaySourceOptions {
  reader: RecordingReader;
  clock: Clock;
  basemap?: Basemap | null;
  softwareVersion: string;
  /** Start playing at once (default: paused at the start). */
  play?: boolean;
  speed?: number;
}

export class ReplaySource {
  private readonly listeners = new Set<(event: StationEvent) => void>();
  private baseAtMs = 0;
  private baseClockMs: number;
  private speed: number;
  private playing: boolean;
  private seq = 0;
  private cancelTimer: (() => void) | null = null;

  constructor(private readonly options: ReplaySourceOptions) {
    this.baseClockMs = options.clock.now();
    this.speed = clampSpeed(options.speed ?? 1);
    this.playing = false;
    if (options.play) this.play();
  }

  get jobId(): string {
    return this.options.reader.header.jobId;
  }

  /** Milliseconds into the recording now. */
  atMs(): number {
    const elapsed = this.playing ? (this.options.clock.now() - this.baseClockMs) * this.speed : 0;
    return Math.min(this.options.reader.durationMs, this.baseAtMs + elapsed);
  }

  tractorCount(): number {
    return this.options.reader.fleetAt(this.atMs()).length;
  }

  snapshot(): StationSnapshot {
    const atMs = this.atMs();
    if (this.playing && atMs >= this.options.reader.durationMs) this.pause();
    return replaySnapshot(this.options.reader, {
      atMs,
      speed: this.speed,
      playing: this.playing,
      seq: this.seq,
      basemap: this.options.basemap ?? null,
      softwareVersion: this.options.softwareVersion,
    });
  }

  subscribe(listener: (event: StationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  execute(command: Command): Promise<CommandResult> {
    return Promise.resolve(this.command(command));
  }

  command(command: Command): CommandResult {
    if (command.type !== 'replayControl')
      return commandFailed('refused', 'this is a replay: it records a job and controls no machine');
    switch (command.action) {
      case 'play':
        this.play();
        break;
      case 'pause':
        this.pause();
        break;
      case 'seek':
        if (command.atMs === undefined) return commandFailed('invalid', 'seek needs atMs');
        this.seek(command.atMs);
        break;
      case 'speed':
        if (command.speed === undefined) return commandFailed('invalid', 'speed needs a speed');
        this.setSpeed(command.speed);
        break;
    }
    this.publish();
    return commandOk();
  }

  play(): void {
    if (this.playing) return;
    if (this.atMs() >= this.options.reader.durationMs) this.baseAtMs = 0;
    this.baseClockMs = this.options.clock.now();
    this.playing = true;
    this.schedule();
  }

  pause(): void {
    if (!this.playing) return;
    this.rebase();
    this.playing = false;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  seek(atMs: number): void {
    this.baseAtMs = Math.max(0, Math.min(this.options.reader.durationMs, atMs));
    this.baseClockMs = this.options.clock.now();
  }

  setSpeed(speed: number): void {
    this.rebase();
    this.speed = clampSpeed(speed);
  }

  close(): void {
    this.pause();
    this.listeners.clear();
  }

  private rebase(): void {
    this.baseAtMs = this.atMs();
    this.baseClockMs = this.options.clock.now();
  }

  private schedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (!this.playing) return;
    this.cancelTimer = this.options.clock.setTimer(REPLAY_PUBLISH_MS, () => {
      this.cancelTimer = null;
      if (!this.playing) return;
      this.publish();
      this.schedule();
    });
  }

  private publish(): void {
    this.seq++;
    if (this.listeners.size === 0) {
      if (this.playing && this.atMs() >= this.options.reader.durationMs) this.pause();
      return;
    }
    const event: StationEvent = { type: 'state', snapshot: this.snapshot() };
    for (const listener of this.listeners) listener(event);
  }
}

function clampSpeed(speed: number): number {
  return Math.max(REPLAY_MIN_SPEED, Math.min(REPLAY_MAX_SPEED, speed));
}
