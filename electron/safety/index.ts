export {
  FleetKey,
  FleetKeyError,
  FLEET_KEY_BYTES,
  FLEET_KEY_FILE,
  loadOrCreateFleetKey,
  readFleetKeyFile,
} from './fleet-key.js';
export {
  RELEASE_REORDER_WINDOW,
  ReleaseSigner,
  ReleaseVerifier,
  releaseMac,
  type ReleaseVerdict,
} from './release-auth.js';
export {
  AuditLog,
  AUDIT_KINDS,
  AUDIT_LOG_FILE,
  GENESIS_HASH,
  anchorProblem,
  checkChain,
  entryHash,
  readAuditLog,
  type AuditAnchor,
  type AuditEntry,
  type AuditFields,
  type AuditLogOpened,
  type ChainCheck,
} from './audit-log.js';
export {
  ModeCoordinator,
  MODE_REPLY_TIMEOUT_MS,
  MODE_SETTLE_MS,
  type ModeChange,
  type ModeOutcome,
} from './mode-coordinator.js';
export {
  assessZones,
  DEFAULT_ZONE_GUARD,
  type GuardAction,
  type GuardSeverity,
  type GuardedMachine,
  type KeepOutZone,
  type ZoneGuardConfig,
} from './zone-guard.js';
