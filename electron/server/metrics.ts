/**
 * Prometheus metrics of the station, served at GET /metrics. Each subsystem registers its own
 * figures here as it comes to exist (message rates, latencies, bus load, sync sizes).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

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
  readonly commands = new Counter({
    name: 'headland_commands_total',
    help: 'Operator commands, by type and result',
    labelNames: ['type', 'result'] as const,
    registers: [this.registry],
  });

  constructor(collectors: { tractors: () => number; stopsActive: () => number; fleetMessages: () => number }) {
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
    new Gauge({
      name: 'headland_fleet_messages_delivered',
      help: 'Fleet-link messages delivered since start (both directions)',
      registers: [this.registry],
      collect() {
        this.set(collectors.fleetMessages());
      },
    });
  }
}
