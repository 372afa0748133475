export {
  StationHttpServer,
  CONTENT_SECURITY_POLICY,
  type HttpServerOptions,
  type UpgradeRoute,
  EXPORT_PATH,
  ExportRequestError,
  type ExportFile,
} from './http-server.js';
export { StationMetrics, formatSamples, type ExternalSample } from './metrics.js';
export { BASEMAP_URL_PATH, BasemapError, describeBasemapDir } from './basemap-dir.js';
export {
  AccessTokens,
  MIN_TOKEN_LENGTH,
  TokenError,
  generateToken,
  type RoleTokens,
} from './access-tokens.js';
