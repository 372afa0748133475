/**
 * The job document's schema: root type names, key formats and the plain-data shapes stored under
 * them, each with a zod schema so every value crossing a replica boundary is checked
 * (docs/sync-schema.md is the prose version of this file; keep them in step).
 *
 * Every root is a Y.Map. Maps whose keys are unique per write (claims, alerts, e-stops, ops,
 * field revisions, coverage chunks) are append-only: a key is written once and never
 * overwritten or deleted. Only the "register" roots (meta, sections, sectionStates, tractors,
 * alertAcks, refillStops) may overwrite a key, i.e. delete its previous value.
 */
import { z } from 'zod';

export const SCHEMA_VERSION = 1;

export const ROOTS = {
  meta: 'meta',
  field: 'field',
  sections: 'sections',
  sectionStates: 'sectionStates',
  assignments: 'assignments',
  coverage: 'coverage',
  tractors: 'tractors',
  alerts: 'alerts',
  alertAcks: 'alertAcks',
  estops: 'estops',
  estopReleases: 'estopReleases',
  refillStops: 'refillStops',
  ops: 'ops',
} as const;
export type RootName = (typeof ROOTS)[keyof typeof ROOTS];
export const ROOT_NAMES: readonly RootName[] = Object.values(ROOTS);

/** Roots whose keys may be overwritten (register semantics); all others are append-only. */
export const OVERWRITABLE_ROOTS: ReadonlySet<RootName> = new Set<RootName>([
  ROOTS.meta,
  ROOTS.sections,
  ROOTS.sectionStates,
  ROOTS.tractors,
  ROOTS.alertAcks,
  ROOTS.refillStops,
]);

/**
 * Meta keys fixed when the job is created: the job's identity and the frame its coverage is
 * logged in. No remote writer may change or remove them once a replica holds them (moving
 * `frameOrigin` by a degree would put every logged pass outside the field after a restart).
 */
export const FIXED_META_KEYS: ReadonlySet<string> = new Set([
  'jobId',
  'schemaVersion',
  'createdAtMs',
  'frameOrigin',
]);

/**
 * Roots whose keys no remote writer overwrites or deletes once written, though the station
 * itself may: a section's geometry changes only by a station-side boundary edit (which adds
 * a field revision and replans on the station).
 */
export const WRITE_ONCE_REMOTE_ROOTS: ReadonlySet<RootName> = new Set<RootName>([ROOTS.sections]);

/**
 * What a remote operator (operator or admin token at /sync/<job>, the farm office mirror) may
 * add: assignment claims, alerts and their acknowledgements, and the op records of those. Never
 * the job's identity, field, sections, coverage, tractor status or stops and releases: those
 * are the station's (and the tractors') own records.
 */
export const OPERATOR_ROOTS: ReadonlySet<RootName> = new Set<RootName>([
  ROOTS.assignments,
  ROOTS.alerts,
  ROOTS.alertAcks,
  ROOTS.ops,
]);

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);
const finiteMs = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const text = z.string().max(500);
const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
/** A closed or open ring of [lon, lat] (GeoJSON order); the first ring is the outer boundary. */
const ring = z.array(lonLat).min(3).max(20_000);
export const polygonSchema = z.array(ring).min(1).max(1_000);

/** Hybrid logical clock stamp (Kulkarni et al. 2014): wall ms plus a logical counter. */
export const hlcSchema = z.object({
  wallMs: finiteMs,
  counter: z.number().int().nonnegative().max(0xffff),
});
export type HlcStamp = z.infer<typeof hlcSchema>;

export const jobModes = ['planned', 'running', 'paused', 'finished'] as const;
export type JobMode = (typeof jobModes)[number];
export const tractorModes = ['manual', 'supervised', 'autonomous'] as const;
export const tractorActivities = ['idle', 'working', 'paused', 'safe-stopped', 'offline'] as const;
export const sectionStatesList = ['pending', 'active', 'done', 'blocked'] as const;
export type SectionState = (typeof sectionStatesList)[number];

export const metaValueSchemas = {
  jobId: id,
  name: text,
  schemaVersion: z.literal(SCHEMA_VERSION),
  createdAtMs: finiteMs,
  /** Origin of the local metric frame (x east, y north, metres) that coverage is recorded in. */
  frameOrigin: lonLat,
  jobMode: z.object({ mode: z.enum(jobModes), by: id, atMs: finiteMs, reason: text }),
  /**
   * The station's safety audit log as it stood (entries, hash of the last one), kept apart from
   * the log so a log cut short or rewritten is found (electron/safety/audit-log.ts).
   */
  auditAnchor: z.object({
    count: z.number().int().nonnegative(),
    lastHash: z.string().regex(/^[0-9a-f]{64}$/),
    atMs: finiteMs,
  }),
} as const;
export type MetaKey = keyof typeof metaValueSchemas;

export const fieldRevisionSchema = z.object({
  key: z.string().max(128),
  boundary: polygonSchema,
  by: id,
  atMs: finiteMs,
  reason: text,
  hlc: hlcSchema,
});
export type FieldRevision = z.infer<typeof fieldRevisionSchema>;

export const sectionSchema = z.object({
  id,
  name: text,
  /** [lon, lat] rings, outer first then holes. */
  polygon: polygonSchema,
  order: z.number().int().nonnegative(),
  areaM2: z.number().nonnegative(),
});
export type Section = z.infer<typeof sectionSchema>;

export const sectionStateSchema = z.object({
  state: z.enum(sectionStatesList),
  by: id,
  atMs: finiteMs,
});

export const assignmentClaimSchema = z.object({
  key: z.string().max(200),
  sectionId: id,
  /** null unassigns the section. */
  tractorId: id.nullable(),
  assignedBy: id,
  stationId: id,
  atMs: finiteMs,
  reason: text,
  hlc: hlcSchema,
  /** Claim keys for this section the writer saw as current: they are superseded, not in conflict. */
  seen: z.array(z.string().max(200)).max(64),
});
export type AssignmentClaim = z.infer<typeof assignmentClaimSchema>;

export const tractorStatusSchema = z.object({
  mode: z.enum(tractorModes),
  activity: z.enum(tractorActivities),
  by: id,
  atMs: finiteMs,
});
export type TractorStatus = z.infer<typeof tractorStatusSchema>;

export const alertSchema = z.object({
  id,
  kind: id,
  severity: z.enum(['info', 'warning', 'critical']),
  message: text,
  source: id,
  atMs: finiteMs,
});
export type Alert = z.infer<typeof alertSchema>;
export const alertAckSchema = z.object({ by: id, atMs: finiteMs });
export type AlertAck = z.infer<typeof alertAckSchema>;

export const estopSchema = z.object({
  id,
  /** 'fleet' or a tractor id. */
  scope: id,
  by: id,
  reason: text,
  atMs: finiteMs,
});
export type EstopRecord = z.infer<typeof estopSchema>;
export const estopReleaseSchema = z.object({ by: id, atMs: finiteMs });
export type EstopRelease = z.infer<typeof estopReleaseSchema>;

/**
 * A stop a machine made at the job's refill point (station-written, from the machines' position
 * reports): kept with the job, so an older job's exports and a reopened job still have them. A
 * register: the stop lengthens while the machine stands there.
 */
export const refillStopRecordSchema = z
  .object({
    /** `refillStopKey(tractorId, arrivedAtWallMs)`. */
    id: z.string().max(200),
    tractorId: id,
    arrivedAtWallMs: finiteMs,
    leftAtWallMs: finiteMs,
    position: lonLat,
  })
  .refine((s) => s.leftAtWallMs >= s.arrivedAtWallMs, { message: 'left before it arrived' });
export type RefillStopRecord = z.infer<typeof refillStopRecordSchema>;

export function refillStopKey(tractorId: string, arrivedAtWallMs: number): string {
  return `${tractorId}@${arrivedAtWallMs}`;
}

export const opKinds = [
  'job-created',
  'field-revised',
  'section-state',
  'assign',
  'job-mode',
  'tractor-status',
  'alert',
  'alert-ack',
  'estop',
  'estop-release',
] as const;
export type OpKind = (typeof opKinds)[number];
/** The op records a remote operator may write: those of what it may write. */
export const OPERATOR_OP_KINDS: ReadonlySet<OpKind> = new Set<OpKind>([
  'assign',
  'alert',
  'alert-ack',
]);

export const opRecordSchema = z.object({
  /** `${client}:${clock}`: the Yjs id of the op's transaction, unique across replicas. */
  id: z.string().max(40),
  client: z.number().int().nonnegative(),
  clock: z.number().int().nonnegative(),
  kind: z.enum(opKinds),
  actor: id,
  atMs: finiteMs,
  summary: text,
  /** The writer's state vector just before the op: its vector clock (client id → clock). */
  deps: z.record(z.string().regex(/^\d+$/), z.number().int().nonnegative()),
});
export type OpRecord = z.infer<typeof opRecordSchema>;

/** Coverage chunk keys: `${tractorId}/${yjsClientId}/${chunkNo}`, written by that client only. */
export const COVERAGE_KEY = /^([A-Za-z0-9_.:-]{1,64})\/(\d{1,10})\/(\d{1,9})$/;
/** Segment batches per coverage chunk array; bounded so appends never walk a long list. */
export const COVERAGE_CHUNK_ITEMS = 128;

export function coverageChunkKey(tractorId: string, client: number, chunkNo: number): string {
  return `${tractorId}/${client}/${chunkNo}`;
}

export function parseCoverageKey(
  key: string,
): { tractorId: string; client: number; chunkNo: number } | null {
  const m = COVERAGE_KEY.exec(key);
  if (!m) return null;
  return { tractorId: m[1] ?? '', client: Number(m[2]), chunkNo: Number(m[3]) };
}

interface RootValueRule {
  readonly schema: z.ZodType;
  /** The value field that must equal the map key, when the key is derived from the value. */
  readonly keyField: string | null;
}

const ROOT_VALUE_RULES: Partial<Record<RootName, RootValueRule>> = {
  [ROOTS.field]: { schema: fieldRevisionSchema, keyField: 'key' },
  [ROOTS.sections]: { schema: sectionSchema, keyField: 'id' },
  [ROOTS.sectionStates]: { schema: sectionStateSchema, keyField: null },
  [ROOTS.assignments]: { schema: assignmentClaimSchema, keyField: 'key' },
  [ROOTS.tractors]: { schema: tractorStatusSchema, keyField: null },
  [ROOTS.alerts]: { schema: alertSchema, keyField: 'id' },
  [ROOTS.alertAcks]: { schema: alertAckSchema, keyField: null },
  [ROOTS.estops]: { schema: estopSchema, keyField: 'id' },
  [ROOTS.estopReleases]: { schema: estopReleaseSchema, keyField: null },
  [ROOTS.refillStops]: { schema: refillStopRecordSchema, keyField: 'id' },
  [ROOTS.ops]: { schema: opRecordSchema, keyField: 'id' },
};

const MAP_KEY = /^[A-Za-z0-9_.:@|-]{1,200}$/;

/** Whether `value` may be stored at `root[key]` (coverage is binary and checked elsewhere). */
export function isValidRootValue(root: RootName, key: string, value: unknown): boolean {
  if (root === ROOTS.meta) {
    if (!Object.hasOwn(metaValueSchemas, key)) return false;
    return metaValueSchemas[key as MetaKey].safeParse(value).success;
  }
  const rule = ROOT_VALUE_RULES[root];
  if (!rule || !MAP_KEY.test(key)) return false;
  if (!rule.schema.safeParse(value).success) return false;
  if (rule.keyField === null) return true;
  return (value as Record<string, unknown>)[rule.keyField] === key;
}

export function isRootName(name: string): name is RootName {
  return (ROOT_NAMES as readonly string[]).includes(name);
}
