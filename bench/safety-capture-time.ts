/**
 * `safety.capture_time_error_ms_max`: how far a station capture's timestamp of a frame lies from
 * the frame's arrival at a socketcand client in another process (bench/capture-listener.py),
 * over every frame both saw while the station was busy. The arrival is the kernel's time for the
 * bytes reaching the client's socket, so the client's own wake-up delay on a shared machine is
 * not counted against the station (the time it read each frame is reported beside it). A
 * capture dated when a frame was queued would show a process stall as smooth traffic; dated as
 * the frame is handed to the wire and the clients, it differs from the arrival by the station's
 * own delay between stamp and socket write, and the loopback's.
 * Goal ≤ 2 ms. Frames the client received that the capture lacks are counted (must be 0).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatFrame, parseCandumpLine } from '../electron/can/index.js';
import { percentile, round } from './harness.js';
import type { RigPriority } from './rig-priority.js';
import { PYTHON } from './can-floor.js';

const LISTENER = join(import.meta.dirname, 'capture-listener.py');

export interface CaptureListener {
  /**
   * The longest wait between two heartbeats from source address `source` that reached the
   * listener since the last call, and how many came (then counted anew).
   */
  heartbeatGap(source: number): Promise<{ maxGapMs: number; count: number }>;
  stop(): Promise<void>;
  /** The listener's process (a test pauses it to leave writes waiting unread). */
  readonly pid: number | undefined;
}

export function startCaptureListener(
  port: number,
  file: string,
  priority: RigPriority,
): Promise<CaptureListener> {
  const [command, args] = priority.wrap(PYTHON, [LISTENER, String(port), file]);
  const child: ChildProcess = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const answers: ((line: string) => void)[] = [];
  let buffered = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench: capture listener exited ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'listening') resolveListener();
        else if (line.startsWith('gap ')) answers.shift()?.(line);
      }
    });
    const resolveListener = (): void =>
      resolve({
        heartbeatGap: (source) =>
          new Promise((answered) => {
            answers.push((line) => {
              const [, gap = '0', count = '0'] = line.split(' ');
              answered({ maxGapMs: Number(gap), count: Number(count) });
            });
            child.stdin?.write(`gap ${source}\n`);
          }),
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
        pid: child.pid,
      });
  });
}

const key = (frame: string, stampMs: number): string => `${frame}@${Math.round(stampMs * 1000)}`;

export interface CaptureTimeError {
  /** Over the frames whose arrival is known: every one but those `coalesced`. */
  maxMs: number;
  p99Ms: number;
  p50Ms: number;
  compared: number;
  /**
   * Frames that waited unread while the station's next write came (the listener stalled): the
   * kernel gives them that later write's arrival, so their error is known only to lie at or
   * below `coalescedUpToMs`.
   */
  coalesced: number;
  coalescedUpToMs: number;
  missingFromCapture: number;
  /** Frames whose arrival came before the capture's stamp by more than the error bound. */
  arrivedBeforeStamp: number;
  /** The same against the time the listener read each frame (its own wake-up delay included). */
  readMaxMs: number;
  readP99Ms: number;
}

const maxOf = (values: readonly number[]): number => values.reduce((m, v) => Math.max(m, v), 0);

/** Compares the station's candump capture with the listener's file of arrivals. */
export function captureTimeError(capturePath: string, listenerPath: string): CaptureTimeError {
  const captured = new Set<string>();
  for (const line of readFileSync(capturePath, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { frame } = parseCandumpLine(line);
    captured.add(key(formatFrame(frame), frame.timestampMs ?? 0));
  }
  const errors: number[] = [];
  const readErrors: number[] = [];
  const coalescedErrors: number[] = [];
  let missing = 0;
  let early = 0;
  for (const line of readFileSync(listenerPath, 'utf8').split('\n')) {
    const [frame = '', stamp = '', arrived = '', read = '', coalesced = '0'] = line.split(' ');
    if (!frame) continue;
    const stampMs = Number(stamp);
    if (!captured.has(key(frame, stampMs))) {
      missing++;
      continue;
    }
    const errorMs = Number(arrived) - stampMs;
    if (errorMs < 0) early++;
    readErrors.push(Math.abs(Number(read) - stampMs));
    if (coalesced === '1') coalescedErrors.push(Math.abs(errorMs));
    else errors.push(Math.abs(errorMs));
  }
  return {
    maxMs: round(maxOf(errors), 3),
    p99Ms: round(percentile(errors, 99), 3),
    p50Ms: round(percentile(errors, 50), 3),
    compared: errors.length,
    coalesced: coalescedErrors.length,
    coalescedUpToMs: round(maxOf(coalescedErrors), 3),
    missingFromCapture: missing,
    arrivedBeforeStamp: early,
    readMaxMs: round(maxOf(readErrors), 3),
    readP99Ms: round(percentile(readErrors, 99), 3),
  };
}
