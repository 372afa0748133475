/**
 * What the HTTP server and the UI bridge need of a station: its snapshot, its events, and a
 * way to give it commands. A live Station is one; a replay of a recording
 * (electron/records ReplaySource, `headland replay`) is another.
 */
import type { Station } from '../station/index.js';

export type StationSource = Pick<
  Station,
  'jobId' | 'snapshot' | 'subscribe' | 'execute' | 'tractorCount'
> &
  /** STOP ALL by the safety core's fast path (a live station; a replay has none). */
  Partial<Pick<Station, 'fastStop'>>;
