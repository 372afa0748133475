/**
 * The office's documents on disk: one SQLite file (better-sqlite3, the engine the station's own
 * store uses), one row per document holding its whole state as a Yjs update, and when it was
 * last stored. Hocuspocus's Database extension calls `fetch` when a document loads and `store`
 * (debounced) when it changed.
 *
 * Several office nodes on one machine may share the file (WAL, a busy timeout): a store merges
 * the stored state with the node's own in one transaction, so a node that loaded the document
 * before another stored it never drops what the other wrote. The stations stay the source of
 * their jobs: each re-sends what the office lacks whenever it connects.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';

export const OFFICE_DB_FILE = 'office.db';
/** How long a writer waits for another node's transaction on the shared file. */
const BUSY_TIMEOUT_MS = 5_000;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, state BLOB NOT NULL, stored_at_ms INTEGER NOT NULL);
`;

export interface StoredDocument {
  readonly name: string;
  readonly storedAtMs: number;
}

export class OfficeStore {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string], { state: Buffer }>;
  private readonly upsert: Database.Statement<[string, Uint8Array, number]>;
  private readonly listAll: Database.Statement<[], { name: string; stored_at_ms: number }>;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, OFFICE_DB_FILE));
    this.db.pragma('journal_mode = WAL');
    // A document lost at a power cut comes back from its station (see above).
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.db.exec(SCHEMA);
    this.select = this.db.prepare('SELECT state FROM documents WHERE name = ?');
    this.upsert = this.db.prepare(
      'INSERT INTO documents (name, state, stored_at_ms) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET state = excluded.state, stored_at_ms = excluded.stored_at_ms',
    );
    this.listAll = this.db.prepare('SELECT name, stored_at_ms FROM documents ORDER BY name');
  }

  fetch(name: string): Uint8Array | null {
    const row = this.select.get(name);
    return row ? new Uint8Array(row.state) : null;
  }

  store(name: string, state: Uint8Array, atMs: number): void {
    this.db
      .transaction(() => {
        const stored = this.fetch(name);
        // Two updates only: linear, unlike a merge over a long log.
        const merged = stored ? Y.mergeUpdates([stored, state]) : state;
        this.upsert.run(name, merged, atMs);
      })
      .immediate();
  }

  list(): StoredDocument[] {
    return this.listAll.all().map((r) => ({ name: r.name, storedAtMs: r.stored_at_ms }));
  }

  close(): void {
    this.db.close();
  }
}
