/**
 * The fleet link's figures as labelled samples, for `/metrics` (Prometheus text exposition via
 * prom-client in electron/server) and logs. Names follow Prometheus conventions: `_total` for
 * counters, units in the name.
 */
import type { FleetLinkNode } from './fleet-link-node.js';
import { LANES } from './wire-format.js';

export interface MetricSample {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  labels: Record<string, string>;
  value: number;
}

const STATE_VALUE = { online: 2, degraded: 1, lost: 0 } as const;

export function fleetLinkMetrics(link: FleetLinkNode): MetricSample[] {
  const out: MetricSample[] = [];
  const add = (
    name: string,
    help: string,
    type: MetricSample['type'],
    value: number,
    labels: Record<string, string> = {},
  ): void => {
    out.push({ name, help, type, labels, value });
  };
  const c = link.counters;
  const e = link.engine.counters;
  add(
    'headland_link_frames_sent_total',
    'Fleet-link frames handed to the CAN link',
    'counter',
    c.framesSent,
  );
  add(
    'headland_link_frames_received_total',
    'Fleet-link frames received',
    'counter',
    c.framesReceived,
  );
  for (const [reason, n] of Object.entries(c.rejected))
    add(
      'headland_link_frames_rejected_total',
      'Frames dropped as invalid, by reason',
      'counter',
      n,
      { reason },
    );
  add(
    'headland_link_transfers_failed_total',
    'TP/ETP transfers that aborted',
    'counter',
    c.transfersFailed,
  );
  add(
    'headland_link_telemetry_superseded_total',
    'Telemetry samples replaced by newer ones before sending',
    'counter',
    c.telemetrySuperseded,
  );
  for (const outcome of ['delivered', 'expired', 'dropped'] as const) {
    add('headland_link_messages_total', 'Reliable messages by outcome', 'counter', e[outcome], {
      outcome,
    });
  }
  add(
    'headland_link_messages_refused_total',
    'Reliable messages refused at a full queue',
    'counter',
    e.refused,
  );
  add(
    'headland_link_retransmissions_total',
    'Reliable retransmissions',
    'counter',
    e.retransmissions,
  );
  add(
    'headland_link_duplicates_total',
    'Duplicate reliable messages suppressed on receipt',
    'counter',
    e.duplicates,
  );
  for (const peer of link.linkStatus()) {
    const labels = { peer: peer.id };
    add(
      'headland_link_peer_state',
      'Peer link state: 2 online, 1 degraded, 0 lost',
      'gauge',
      STATE_VALUE[peer.state],
      labels,
    );
    if (peer.rttMs !== null)
      add('headland_link_peer_rtt_ms', 'Smoothed round-trip time', 'gauge', peer.rttMs, labels);
    add(
      'headland_link_peer_loss_pct',
      'Frames lost from the peer, percent',
      'gauge',
      peer.lossPct,
      labels,
    );
    if (peer.lastHeardAgoMs !== null)
      add(
        'headland_link_peer_last_heard_ms',
        'Time since the peer was last heard',
        'gauge',
        peer.lastHeardAgoMs,
        labels,
      );
    for (const lane of LANES)
      add(
        'headland_link_queued_messages',
        'Reliable messages held for the peer',
        'gauge',
        peer.queued[lane],
        { ...labels, lane },
      );
  }
  return out;
}
