export { Station, type StartupAlert, type StationOptions } from './station.js';
export { IntervalSet } from './interval-set.js';
export { ESTOP_KEEPALIVE_MS, ESTOP_REPEAT_MS } from '../safety-core/index.js';
export { COMM_LOST_MS, JOINING_REPORT_MS, LINK_DEGRADED_MS } from './tractor-record.js';
export { ReplicaHub, REPLICA_CHECK_MS, type ReplicaHubOptions } from './replica-hub.js';
export {
  describeAddressChange,
  type CanAddressChange,
  type CanAddressFeed,
} from './can-address.js';
