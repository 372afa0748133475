export { StationHttpServer, CONTENT_SECURITY_POLICY, type HttpServerOptions, type UpgradeRoute } from './http-server.js';
export { StationMetrics } from './metrics.js';
