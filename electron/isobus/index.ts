export {
  type PgnFrame,
  type DecodedIdentifier,
  IdentifierError,
  GLOBAL_ADDRESS,
  NULL_ADDRESS,
  MAX_UNICAST_ADDRESS,
  PDU2_THRESHOLD,
  PGN_MAX,
  DEFAULT_PRIORITY,
  isPdu1,
  decodeIdentifier,
  encodeIdentifier,
  toPgnFrame,
  toCanFrame,
} from './identifier.js';
export { PGN, pgnName, readPgn, writePgn } from './pgn-registry.js';
export {
  type IsoNameFields,
  IsoNameError,
  INDUSTRY_GROUP_AGRICULTURE,
  encodeName,
  decodeName,
  nameToBytes,
  nameFromBytes,
  compareNames,
  isSelfConfigurable,
  formatName,
} from './iso-name.js';
export {
  ACK_CONTROL,
  type AckControl,
  type Acknowledgement,
  RequestAckError,
  encodeRequest,
  decodeRequest,
  encodeAcknowledgement,
  decodeAcknowledgement,
} from './request-ack.js';
export {
  AddressClaimer,
  type AddressClaimConfig,
  type ClaimState,
  type ClaimCause,
  ADDRESS_CLAIM_WAIT_MS,
  RANDOM_DELAY_STEP_MS,
  SELF_CONFIG_FIRST,
  SELF_CONFIG_LAST,
} from './address-claim.js';
export {
  TP_CONTROL,
  ETP_CONTROL,
  ABORT_REASON,
  describeAbortReason,
  BYTES_PER_PACKET,
  TP_MAX_BYTES,
  TP_MIN_BYTES,
  ETP_MAX_BYTES,
  TIMING,
  type CmMessage,
  decodeCm,
  encodeCm,
  encodeDataPacket,
  packetCount,
} from './transport-messages.js';
export {
  type TransportConfig,
  DEFAULT_TRANSPORT_CONFIG,
  TP_PRIORITY,
} from './transport-session.js';
export {
  TransportProtocol,
  TransportError,
  type TransportOptions,
  type TransportResult,
  type IsobusMessage,
  type SessionEndInfo,
} from './transport-protocol.js';
export {
  IsobusNode,
  type IsobusNodeOptions,
  type SendOptions,
  type RequestAnswer,
  IsobusError,
  CannotClaimError,
  TransportAbortError,
  type ClaimChange,
  discardFramesFrom,
} from './isobus-node.js';
export { TransportMonitor, type MonitoredTransfer } from './transport-monitor.js';
export { canAddressFeed, type CanAddressChange, type CanAddressFeed } from './address-feed.js';
export { describeFrame, describeTransfer } from './frame-description.js';
export { queryPgn, RequestRefusedError, RequestTimeoutError } from './pgn-query.js';
