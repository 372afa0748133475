/**
 * Who may open which office document (docs/office.md, "Tokens"). A station token is bound to
 * one station id and opens only that station's documents, read and write; a viewer token opens
 * every document, read only. Tokens are compared in constant time, as the station's are.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Principal } from '../sync/index.js';
import { parseOfficeDocumentName } from './document-name.js';

export interface StationToken {
  readonly stationId: string;
  readonly token: string;
}

/** What a token may do with one document: write as its station, read as a viewer, or nothing. */
export type DocumentAccess =
  | { readonly ok: true; readonly principal: Principal; readonly readOnly: boolean }
  | { readonly ok: false; readonly reason: string };

export class AccessError extends Error {
  override readonly name = 'AccessError';
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class OfficeAccess {
  constructor(
    private readonly stations: readonly StationToken[],
    private readonly viewerTokens: readonly string[],
  ) {
    const all = [...stations.map((s) => s.token), ...viewerTokens];
    // One token, one holder: a shared one could not say whether it reads or writes.
    if (new Set(all).size !== all.length) throw new AccessError('every office token must differ');
    const ids = stations.map((s) => s.stationId);
    if (new Set(ids).size !== ids.length)
      throw new AccessError('each station id takes one station token');
  }

  access(token: string, documentName: string): DocumentAccess {
    const doc = parseOfficeDocumentName(documentName);
    if (!doc) return { ok: false, reason: `'${documentName}' is not <station-id>/<job-id>` };
    if (this.isViewer(token))
      return { ok: true, principal: { role: 'viewer', id: 'office-viewer' }, readOnly: true };
    const station = this.stations.find((s) => same(token, s.token));
    if (!station) return { ok: false, reason: 'unknown token' };
    if (station.stationId !== doc.stationId)
      return {
        ok: false,
        reason: `station ${station.stationId} may not open station ${doc.stationId}'s jobs`,
      };
    return { ok: true, principal: { role: 'station', id: station.stationId }, readOnly: false };
  }

  isViewer(token: string): boolean {
    // Every token is compared, so the time taken does not say which one matched.
    return this.viewerTokens.reduce((hit, t) => same(token, t) || hit, false);
  }
}
