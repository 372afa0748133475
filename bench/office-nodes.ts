/**
 * Office nodes for the office benchmark: each a `headland office` process of its own (so its
 * memory is its own), started as electron/commands/office-failover.test.ts starts them.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startCli } from '../electron/commands/test-helpers/cli-process.js';
import { percentile } from './harness.js';

export interface OfficeNode {
  readonly child: ChildProcess;
  readonly url: string;
}

export interface OfficeNodeOptions {
  readonly dataDir: string;
  readonly redisPort?: number;
  readonly stations: readonly { stationId: string; token: string }[];
  readonly viewerToken: string;
}

export async function startOfficeNode(options: OfficeNodeOptions): Promise<OfficeNode> {
  const args = ['office', '--port', '0', '--data', options.dataDir];
  if (options.redisPort !== undefined)
    args.push('--redis', `redis://127.0.0.1:${options.redisPort}`);
  for (const s of options.stations) args.push('--station-token', `${s.stationId}:${s.token}`);
  args.push('--viewer-token', options.viewerToken);
  const { child, match } = await startCli(args, /Headland office listening on http:\/\/(\S+)/);
  return { child, url: `ws://${match[1] ?? ''}` };
}

/** The resident set of process `pid` in MB (proc(5), /proc/PID/status `VmRSS`, in kB). */
export function rssMb(pid: number): number {
  return parseVmRssKb(readFileSync(`/proc/${pid}/status`, 'utf8')) / 1024;
}

export function parseVmRssKb(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match?.[1]) throw new Error('bench: no VmRSS in /proc/PID/status');
  return Number(match[1]);
}

/** Samples `read` every `everyMs` until stopped; `stop` returns the median (NaN if none). */
export function sampleEvery(read: () => number, everyMs: number): () => number {
  const values: number[] = [];
  const timer = setInterval(() => values.push(read()), everyMs);
  return () => {
    clearInterval(timer);
    return percentile(values, 50);
  };
}
