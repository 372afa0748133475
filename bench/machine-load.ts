/**
 * How busy the machine was around a measurement. A real-clock figure on a shared machine says
 * as much about the machine as about the code, so every figure carries these beside it: the
 * load averages and core count at the start and end of its suite, and the share of all cores'
 * time that anything (this benchmark included) used in between.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { round } from './harness.js';

export interface MachineSample {
  /** 1-, 5- and 15-minute load averages (runnable and uninterruptible tasks on Linux). */
  load: readonly [number, number, number];
  cores: number;
  /** Cumulative CPU time of all cores (proc(5) /proc/stat, in clock ticks), where it exists. */
  cpu?: { busy: number; total: number } | undefined;
}

/** proc(5): "cpu user nice system idle iowait irq softirq steal …" — idle and iowait are not busy. */
const IDLE_FIELDS = [3, 4];

export function parseProcStat(text: string): MachineSample['cpu'] {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (ticks.length < 5 || ticks.some((t) => !Number.isFinite(t))) return undefined;
  const total = ticks.reduce((s, t) => s + t, 0);
  const idle = IDLE_FIELDS.reduce((s, i) => s + (ticks[i] ?? 0), 0);
  return { busy: total - idle, total };
}

function readCpu(): MachineSample['cpu'] {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined; // not Linux: the load averages alone
  }
}

export function sampleMachine(): MachineSample {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return { load: [one, five, fifteen], cores: availableParallelism(), cpu: readCpu() };
}

/** Share of all cores' time in use between two samples, %, or undefined without /proc/stat. */
export function busyPct(start: MachineSample, end: MachineSample): number | undefined {
  if (!start.cpu || !end.cpu) return undefined;
  const total = end.cpu.total - start.cpu.total;
  return total > 0 ? ((end.cpu.busy - start.cpu.busy) / total) * 100 : undefined;
}

/** The conditions every figure carries: load and cores at the start and end, busy share between. */
export function machineConditions(
  start: MachineSample,
  end: MachineSample,
): Record<string, number> {
  const busy = busyPct(start, end);
  return {
    cores: end.cores,
    load_1m_start: round(start.load[0], 2),
    load_1m_end: round(end.load[0], 2),
    load_5m_end: round(end.load[1], 2),
    ...(busy === undefined ? {} : { machine_busy_pct: round(busy, 1) }),
  };
}

/** A line for stderr when the 1-minute load was above the core count at the start or the end. */
export function loadWarning(
  what: string,
  start: MachineSample,
  end: MachineSample,
): string | undefined {
  const samples = [
    ['start', start],
    ['end', end],
  ] as const;
  const over = samples.filter(([, s]) => s.load[0] > s.cores);
  if (over.length === 0) return undefined;
  const at = over.map(([when, s]) => `${when} ${round(s.load[0], 2)}`).join(', ');
  return (
    `bench: warning: ${what}: load above the ${end.cores} cores (${at}); ` +
    'absolute times are inflated, read the ratios beside them'
  );
}
