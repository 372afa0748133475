/** The CAN bus's and the socketcand server's figures for /metrics (gathered where the bus runs). */
import type { SocketcandServer, VirtualBus } from '../can/index.js';
import type { MetricSample } from '../link/index.js';

/** Bus load and frame counts of the virtual CAN bus. */
export function canBusMetrics(bus: VirtualBus): MetricSample[] {
  const stats = bus.stats();
  return [
    {
      name: 'headland_can_bus_load_ratio',
      help: 'Share of the last second the CAN bus was busy',
      type: 'gauge',
      labels: { bus: 'can0' },
      value: bus.busLoad(1_000),
    },
    {
      name: 'headland_can_frames_total',
      help: 'Frames carried by the CAN bus',
      type: 'counter',
      labels: { bus: 'can0' },
      value: stats.framesTransmitted,
    },
  ];
}

/** The socketcand server's clients and what it refused. */
export function socketcandMetrics(server: SocketcandServer): MetricSample[] {
  const stats = server.stats();
  return [
    {
      name: 'headland_socketcand_clients',
      help: 'socketcand clients connected to the CAN server',
      type: 'gauge',
      labels: { bus: 'can0' },
      value: stats.clients,
    },
    ...Object.entries(stats.refused).map(([reason, value]): MetricSample => ({
      name: 'headland_socketcand_refused_total',
      help: 'Frames (or connections) the socketcand server did not take, by reason',
      type: 'counter',
      labels: { bus: 'can0', reason },
      value,
    })),
  ];
}
