export {
  StationHttpServer,
  type HttpServerOptions,
  type UpgradeRoute,
  EXPORT_PATH,
} from './http-server.js';
export {
  ExportRequestError,
  MAX_EXPORTS_RUNNING,
  MAX_EXPORTS_WAITING,
  type ExportFile,
} from './export-route.js';
export { REFERRER_POLICY } from './http-answers.js';
export { CONTENT_SECURITY_POLICY, serveStatic } from './static-files.js';
export { DEFAULT_CONNECTION_LIMITS, type ConnectionLimitsConfig } from './connection-limits.js';
export { StationMetrics, formatSamples, type ExternalSample } from './metrics.js';
export { BASEMAP_URL_PATH, BasemapError, describeBasemapDir } from './basemap-dir.js';
export {
  AccessTokens,
  MIN_TOKEN_LENGTH,
  TokenError,
  generateToken,
  type RoleTokens,
} from './access-tokens.js';
export { keptTokens, TOKENS_FILE, type KeptTokens } from './token-file.js';
