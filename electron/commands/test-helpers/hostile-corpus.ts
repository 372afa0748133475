/**
 * Hostile inputs for a running `headland serve`, generated deterministically (fast-check with a
 * fixed seed): raw HTTP requests, WebSocket upgrades, UI bridge messages, Yjs updates for the
 * job document and field files. The CI fuzz test (serve-fuzz.test.ts) sends a small corpus,
 * the `hostile` benchmark a large one; both check that the station never exits.
 */
import fc from 'fast-check';
import { deflateRawSync } from 'node:zlib';
import * as Y from 'yjs';

export type HostileInput =
  | { kind: 'http'; raw: string }
  | { kind: 'upgrade'; raw: string }
  /** Messages on one bridge connection (operator token): text, or binary frames. */
  | { kind: 'bridge'; frames: (string | Uint8Array)[] }
  /** One message of the y-websocket protocol on a fresh /sync connection (operator token). */
  | { kind: 'sync'; message: Uint8Array }
  /** A file opened as a field over the bridge. */
  | { kind: 'field'; fileName: string; bytes: Uint8Array };

export type HostileKind = HostileInput['kind'];

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PRI', 'G\u0000T', ''];
const TARGETS = [
  '/api/health',
  '/api/state',
  '/metrics',
  '/api/export/x?format=csv',
  '/api/export/%ZZ?format=isoxml',
  '/basemap/1/2/3.png',
  '/basemap/../../etc/passwd',
  '/',
  '*',
  'http://[x/api/state',
  'http://evil.example/api/state',
  '/%ZZ',
  '/..%2f..%2fetc%2fpasswd',
  '//evil/x',
  '/api/ws',
  '/sync/%ZZ',
  '/sync/',
];
const HEADERS = [
  'Host: evil.example',
  'Host: 127.0.0.1',
  'Host: [::1',
  'Host:',
  'Origin: null',
  'Origin: https://evil.example',
  'Origin: http://[x',
  'Content-Length: -1',
  'Content-Length: 99999999999',
  'Transfer-Encoding: chunked',
  'Connection: Upgrade',
  'Upgrade: websocket',
  'Expect: 100-continue',
  'Authorization: Bearer \u0000',
];

const target = fc.oneof(
  fc.constantFrom(...TARGETS),
  fc.string({ maxLength: 120 }).map((s) => `/${s}`),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.webUrl({ withQueryParameters: true }),
);
const header = fc.oneof(
  fc.constantFrom(...HEADERS),
  fc
    .tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 60 }))
    .map(([k, v]) => `${k}: ${v}`),
);

const httpRequest = fc
  .record({
    method: fc.constantFrom(...METHODS),
    target,
    version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9', '', 'FOO'),
    headers: fc.array(header, { maxLength: 5 }),
    body: fc.string({ maxLength: 100 }),
  })
  .map(({ method, target: t, version, headers, body }) => ({
    kind: 'http' as const,
    raw: `${method} ${t} ${version}\r\n${['Connection: close', ...headers].join('\r\n')}\r\n\r\n${body}`,
  }));

const upgrade = fc
  .record({
    target: fc.oneof(
      fc.constantFrom('/sync/%ZZ', 'http://[x/sync/a', '/api/ws?token=%ZZ', '/sync/job?token=x'),
      fc.string({ maxLength: 80 }).map((s) => `/sync/${encodeURIComponent(s)}`),
      fc.string({ maxLength: 80 }).map((s) => `/sync/${s}`),
      fc
        .tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 60 }))
        .map(([tok, name]) => `/api/ws?token=${tok}&name=${name}`),
    ),
    origin: fc.constantFrom('', 'Origin: https://evil.example', 'Origin: null'),
    version: fc.constantFrom('13', '8', 'x', ''),
    key: fc.constantFrom('dGhlIHNhbXBsZSBub25jZQ==', '', '!!!'),
  })
  .map(({ target: t, origin, version, key }) => ({
    kind: 'upgrade' as const,
    raw: [
      `GET ${t} HTTP/1.1`,
      'Host: 127.0.0.1',
      'Connection: Upgrade',
      'Upgrade: websocket',
      `Sec-WebSocket-Version: ${version}`,
      `Sec-WebSocket-Key: ${key}`,
      ...(origin ? [origin] : []),
      '',
      '',
    ].join('\r\n'),
  }));

const COMMAND_TYPES = [
  'startJob',
  'pauseJob',
  'resumeJob',
  'resumeTractor',
  'assignSection',
  'assignSections',
  'fleetStop',
  'tractorStop',
  'release',
  'openField',
  'ackAlert',
  'setMode',
  'addZone',
  'removeZone',
  'editBoundary',
  'reopenJob',
  'deleteJob',
  'undeleteJob',
  'replayControl',
];
const lonLat = fc.tuple(fc.double({ min: -200, max: 200 }), fc.double({ min: -100, max: 100 }));
const command = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...COMMAND_TYPES),
      fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue()),
    )
    .map(([type, fields]) => ({ ...fields, type })),
  fc.record({
    type: fc.constant('addZone'),
    name: fc.string(),
    ring: fc.array(lonLat, { maxLength: 40 }),
  }),
  fc.record({
    type: fc.constant('editBoundary'),
    rings: fc.array(fc.array(lonLat, { maxLength: 30 }), { maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant('openField'),
    fileName: fc.string(),
    dataBase64: fc.base64String(),
  }),
);
const bridgeFrame = fc.oneof(
  fc.record({ op: fc.constant('command'), id: fc.nat(), command }).map((m) => JSON.stringify(m)),
  fc
    .record({
      op: fc.constantFrom('snapshot', 'rotateToken', 'command', 'event', ''),
      id: fc.oneof(fc.nat(), fc.double(), fc.string(), fc.constant(null)),
      role: fc.constantFrom('admin', 'viewer', 'god'),
    })
    .map((m) => JSON.stringify(m)),
  fc.json({ maxDepth: 4 }),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }),
);
const bridge = fc
  .array(bridgeFrame, { minLength: 1, maxLength: 3 })
  .map((frames) => ({ kind: 'bridge' as const, frames }));

/** Yjs updates as an operator might write them, from a replica that does not share the job. */
function capturedUpdates(): Uint8Array[] {
  const writes: ((doc: Y.Doc) => void)[] = [
    (d) => d.getMap('meta').set('frameOrigin', [11, 52]),
    (d) => d.getMap('meta').set('jobId', 'x'),
    (d) =>
      d
        .getMap('estops')
        .set('stop-zz-1', { id: 'stop-zz-1', scope: 'fleet', by: 'x', reason: 'r', atMs: 1 }),
    (d) =>
      d.getMap('field').set('k', {
        key: 'k',
        boundary: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
          ],
        ],
        by: 'x',
        atMs: 1,
        reason: 'r',
        hlc: { wallMs: 1, counter: 0 },
      }),
    (d) =>
      d.getMap('sections').set('s1', {
        id: 's1',
        name: 'x',
        polygon: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
          ],
        ],
        order: 0,
        areaM2: 1,
      }),
    (d) => d.getMap('evil').set('k', 1),
    (d) => d.getText('meta').insert(0, 'x'),
    (d) => d.getMap('alerts').set('a1', { id: 'a1', severity: 'apocalyptic' }),
    (d) => {
      const alerts = d.getMap('alerts');
      for (let i = 0; i < 1_200; i++)
        alerts.set(`a${i}`, {
          id: `a${i}`,
          kind: 'k',
          severity: 'info',
          message: 'm',
          source: 'o',
          atMs: 1,
        });
    },
  ];
  return writes.map((write) => {
    const doc = new Y.Doc();
    let update: Uint8Array = new Uint8Array();
    doc.on('update', (u: Uint8Array) => (update = u));
    doc.transact(() => write(doc));
    doc.destroy();
    return update;
  });
}

/** A y-websocket sync message (type 0) of `kind` (0 step 1, 1 step 2, 2 update). */
export function syncMessage(kind: number, payload: Uint8Array): Uint8Array {
  const length: number[] = [];
  let n = payload.length;
  do {
    length.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  const message = new Uint8Array(2 + length.length + payload.length);
  message.set([0, kind, ...length]);
  message.set(payload, 2 + length.length);
  return message;
}

function syncArb(): fc.Arbitrary<HostileInput> {
  const captured = capturedUpdates();
  const mutated = fc
    .record({
      which: fc.nat(captured.length - 1),
      cut: fc.nat(),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
    })
    .map(({ which, cut, flips }) => {
      const src = captured[which] ?? new Uint8Array();
      const bytes = src.slice(0, 1 + (cut % Math.max(1, src.length)));
      for (const [at, x] of flips) bytes[at % bytes.length] = (bytes[at % bytes.length] ?? 0) ^ x;
      return bytes;
    });
  return fc.oneof(
    fc
      .constantFrom(...captured)
      .map((u) => ({ kind: 'sync' as const, message: syncMessage(2, u) })),
    mutated.map((u) => ({ kind: 'sync' as const, message: syncMessage(2, u) })),
    fc
      .uint8Array({ maxLength: 120 })
      .map((u) => ({ kind: 'sync' as const, message: syncMessage(1, u) })),
    fc.uint8Array({ maxLength: 120 }).map((message) => ({ kind: 'sync' as const, message })),
  );
}

/** Files that are not a field anyone should be able to open, and some that almost are. */
function fieldFiles(): HostileInput[] {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const zip = (name: string, content: Uint8Array): Uint8Array => {
    const packed = deflateRawSync(content, { level: 9 });
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + nameBytes.length, 12);
    end.writeUInt32LE(local.length + nameBytes.length + packed.length, 16);
    return new Uint8Array(Buffer.concat([local, nameBytes, packed, central, nameBytes, end]));
  };
  const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 8 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><kml><Placemark><name>&lol8;</name></Placemark></kml>`;
  const serpentine = [[0, 0]];
  for (let i = 0; i < 12_000; i++) serpentine.push([10 + (i % 2) * 0.001, 52 + i * 1e-6]);
  return [
    { name: 'bomb.kmz', bytes: zip('doc.kml', new Uint8Array(16 * 1024 * 1024)) },
    { name: 'bomb.zip', bytes: zip('fields.shp', new Uint8Array(16 * 1024 * 1024)) },
    {
      name: 'xxe.kml',
      bytes: text(
        '<?xml version="1.0"?><!DOCTYPE k [<!ENTITY e SYSTEM "file:///etc/passwd">]><kml><Placemark><name>&e;</name></Placemark></kml>',
      ),
    },
    { name: 'laughs.kml', bytes: text(laughs) },
    {
      name: 'many.geojson',
      bytes: text(JSON.stringify({ type: 'Polygon', coordinates: [serpentine] })),
    },
    {
      name: 'inf.kml',
      bytes: text(
        '<kml><Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>1e999,52 10,52 10,53 1e999,52</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>',
      ),
    },
    { name: 'deep.geojson', bytes: text(`${'['.repeat(50_000)}${']'.repeat(50_000)}`) },
    {
      name: 'latin1.kml',
      bytes: new Uint8Array(
        Buffer.from('<kml><Placemark><name>Große</name></Placemark></kml>', 'latin1'),
      ),
    },
    {
      name: 'taskdata.zip',
      bytes: zip('TASKDATA.XML', text('<ISO11783_TaskData><PFD A="x"/></ISO11783_TaskData>')),
    },
    { name: 'empty', bytes: new Uint8Array() },
  ].map(({ name, bytes }) => ({ kind: 'field' as const, fileName: name, bytes }));
}

const randomFieldFile = fc
  .oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }).map((b) => new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...b])),
    fc.json().map((s) => new TextEncoder().encode(s)),
    fc.string().map((s) => new TextEncoder().encode(`<kml>${s}</kml>`)),
  )
  .map((bytes) => ({ kind: 'field' as const, fileName: 'random', bytes }));

/** How many inputs of each kind. */
export type CorpusSizes = Record<HostileKind, number>;

export const CI_CORPUS: CorpusSizes = { http: 40, upgrade: 30, sync: 40, field: 16, bridge: 40 };

/**
 * The corpus, in the order it is sent: plain requests and upgrades, then document updates (the
 * job is untouched so far, so a refused update is seen not to change it), then field files
 * (they need the job between runs and no stop), then bridge messages (which may stop the fleet).
 */
export function hostileCorpus(sizes: CorpusSizes, seed = 17): HostileInput[] {
  const sample = <T>(arb: fc.Arbitrary<T>, n: number, salt: number): T[] =>
    n > 0 ? fc.sample(arb, { numRuns: n, seed: seed + salt }) : [];
  const files = fieldFiles();
  return [
    ...sample(httpRequest, sizes.http, 1),
    ...sample(upgrade, sizes.upgrade, 2),
    ...sample(syncArb(), sizes.sync, 3),
    ...files.slice(0, sizes.field),
    ...sample(randomFieldFile, Math.max(0, sizes.field - files.length), 4),
    ...sample(bridge, sizes.bridge, 5),
  ];
}
