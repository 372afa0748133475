/**
 * electron/sync — the Yjs engine: one document per field job (schema and typed accessors),
 * conflict rules, causality, validation and authorization of remote updates, persistence, and
 * transports (the y-websocket endpoint, any ordered message channel, a Hocuspocus mirror).
 * See docs/sync-schema.md.
 */
export {
  JobDoc,
  JobDocError,
  type Actor,
  type ActorRole,
  type JobInit,
  type JobChange,
  type JobDocOptions,
  isLocalOrigin,
  localOrigin,
} from './job-doc.js';
export { readCoverage, readSnapshot, type JobSnapshot, type SectionView } from './job-read.js';
export type {
  Alert,
  AlertAck,
  AssignmentClaim,
  EstopRecord,
  EstopRelease,
  RefillStopRecord,
  FieldRevision,
  HlcStamp,
  JobMode,
  OpKind,
  OpRecord,
  Section,
  SectionState,
  TractorStatus,
} from './schema.js';
export { SCHEMA_VERSION, refillStopKey } from './schema.js';
export { type AssignmentConflict } from './assignment-rules.js';
export { type CausalOrder, compareOps, causalOrder } from './causality.js';
export {
  type SwathSegment,
  CoverageCodecError,
  encodeSegments,
  decodeSegments,
} from './coverage-codec.js';
export {
  CoverageRecorder,
  DEFAULT_RECORDER_CONFIG,
  type CoverageRecorderConfig,
  type WorkSample,
} from './coverage-recorder.js';
export {
  SegmentRuns,
  DEFAULT_SEGMENT_RUNS_CONFIG,
  type SegmentRunsConfig,
} from './segment-runs.js';
export {
  ClientBindings,
  type Principal,
  type PeerRole,
  type RejectReason,
  type Rejection,
} from './principal.js';
export { UpdateGate, type GateResult, type GateStats, type RejectionEvent } from './update-gate.js';
export { UpdateValidator } from './update-validator.js';
export { DEFAULT_PEER_LIMITS, PeerLimiter, type PeerLimits } from './peer-limiter.js';
export {
  UpdateStore,
  removeStoreFiles,
  type LoadReport,
  type OpenReport,
  type StoreOptions,
  type Synchronous,
} from './update-store.js';
export {
  openPersistedJob,
  openOrCreateJob,
  type OpenJobOptions,
  DEFAULT_COMPACT_EVERY,
  STORE_LOAD_ORIGIN,
  type PersistedJob,
} from './job-persistence.js';
export { type MessageChannel, CLOSE_CODE, MESSAGE_TYPE } from './message-channel.js';
export { SyncSession, encodeOwnWrites, type SyncSessionOptions } from './sync-session.js';
export {
  decodePathSegment,
  parseRequestTarget,
  refuseUpgrade,
  type RequestTarget,
  type RequestTargetResult,
} from './request-target.js';
export { hostJob, type HostedJob, type HostJobOptions } from './hosted-job.js';
export {
  createSyncEndpoint,
  SYNC_PATH_PREFIX,
  type SyncEndpoint,
  type SyncEndpointMetrics,
  type SyncEndpointOptions,
} from './ws-endpoint.js';
export {
  HocuspocusMirror,
  type HocuspocusMirrorOptions,
  type MirrorStatus,
} from './hocuspocus-mirror.js';
export {
  FleetSyncChannel,
  type FleetSyncChannelOptions,
  type FleetSyncChannelStats,
} from './fleet-sync-channel.js';
export {
  COMPRESS_MIN_BYTES,
  MAX_PIECE_BYTES,
  PieceReassembler,
  encodePieces,
} from './fleet-sync-body.js';
export { SyncBudget, DEFAULT_SYNC_BUDGET } from './sync-budget.js';
export {
  FleetSyncPeer,
  RESYNC_AFTER_GAP_MS,
  RESYNC_AFTER_REFUSAL_MS,
  type FleetSyncPeerOptions,
  type FleetSyncState,
} from './fleet-sync-peer.js';
