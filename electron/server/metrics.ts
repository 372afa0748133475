/**
 * Prometheus metrics of the station, served at GET /metrics. Each subsystem registers its own
 * figures here as it comes to exist (message rates, latencies, bus load, sync sizes).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { NULL_ADDRESS } from '../isobus/index.js';

/** A figure another subsystem reports as plain data (the fleet link, the CAN bus). */
export interface ExternalSample {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  labels: Record<string, string>;
  value: number;
}

/**
 * The process's own figures (heap, resident memory, event-loop lag, open file descriptors): one
 * registry per process, made on first use. Their collectors (an event-loop delay monitor, a GC
 * observer) live as long as the process, so a registry of them per station would keep every
 * station a process ever ran (tests, restarts) alive with it.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'headland_' });
  }
  return processRegistry;
}

export class StationMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'headland_http_requests_total',
    help: 'HTTP requests served, by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpLatency = new Histogram({
    name: 'headland_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [this.registry],
  });
  readonly bridgeClients = new Gauge({
    name: 'headland_bridge_clients',
    help: 'UI clients connected over the WebSocket bridge',
    registers: [this.registry],
  });
  readonly bridgeMessages = new Counter({
    name: 'headland_bridge_messages_total',
    help: 'Bridge messages, by direction and outcome',
    labelNames: ['direction', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly refused = new Counter({
    name: 'headland_http_refused_total',
    help: 'Connections and requests refused before any route, by reason (host, origin, connection caps)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly bridgeDropped = new Counter({
    name: 'headland_bridge_dropped_total',
    help: 'Bridge clients dropped, by reason (slow-consumer: unsent data over its cap; rate-limited)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly bridgeQueuedBytes = new Gauge({
    name: 'headland_bridge_queued_bytes',
    help: 'Data queued for bridge clients and not yet sent, all clients together',
    registers: [this.registry],
  });
  readonly commands = new Counter({
    name: 'headland_commands_total',
    help: 'Operator commands, by type and result',
    labelNames: ['type', 'result'] as const,
    registers: [this.registry],
  });

  constructor(
    private readonly collectors: {
      tractors: () => number;
      stopsActive: () => number;
      fleetMessages: () => number;
      /** The station's own CAN address; null while it holds none (absent without CAN). */
      canAddress?: () => number | null;
      extra?: () => readonly ExternalSample[];
    },
  ) {
    // The process itself (what a flood of clients would show first) is in processMetrics().
    processMetrics();
    new Gauge({
      name: 'headland_tractors',
      help: 'Tractors known to the station',
      registers: [this.registry],
      collect() {
        this.set(collectors.tractors());
      },
    });
    new Gauge({
      name: 'headland_stops_active',
      help: 'Active stops (fleet or per tractor)',
      registers: [this.registry],
      collect() {
        this.set(collectors.stopsActive());
      },
    });
    const canAddress = collectors.canAddress;
    if (canAddress)
      new Gauge({
        name: 'headland_can_address',
        help: "The station's ISO 11783 source address on the CAN bus (254, the null address, while it holds none)",
        registers: [this.registry],
        collect() {
          this.set(canAddress() ?? NULL_ADDRESS);
        },
      });
    new Gauge({
      name: 'headland_fleet_messages_delivered',
      help: 'Fleet-link messages delivered since start (both directions)',
      registers: [this.registry],
      collect() {
        this.set(collectors.fleetMessages());
      },
    });
  }

  /** The Prometheus text exposition of every figure, ours and the subsystems'. */
  async text(): Promise<string> {
    return (
      (await processMetrics().metrics()) +
      (await this.registry.metrics()) +
      formatSamples(this.collectors.extra?.() ?? [])
    );
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Prometheus text format for plain samples: HELP and TYPE once per name, then one line each. */
export function formatSamples(samples: readonly ExternalSample[]): string {
  const lines: string[] = [];
  const described = new Set<string>();
  for (const s of samples) {
    if (!Number.isFinite(s.value)) continue;
    if (!described.has(s.name)) {
      described.add(s.name);
      lines.push(`# HELP ${s.name} ${s.help}`, `# TYPE ${s.name} ${s.type}`);
    }
    const labels = Object.entries(s.labels)
      .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
      .join(',');
    lines.push(`${s.name}${labels ? `{${labels}}` : ''} ${s.value}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
