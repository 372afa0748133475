export {
  type CanFrame,
  CanFrameError,
  CAN_MAX_DATA_BYTES,
  CAN_STD_ID_MAX,
  CAN_EXT_ID_MAX,
  makeFrame,
  validateFrame,
  stampFrame,
  formatFrame,
  formatCanId,
  toHex,
  fromHex,
} from './can-frame.js';
export { DEFAULT_BITRATE, frameBitCount, worstCaseFrameBits, frameTimeMs } from './frame-timing.js';
export {
  type CanLink,
  type CanLinkState,
  type CanLinkEvents,
  type CanLinkListener,
  CanLinkError,
  CanLinkClosedError,
  CanLinkUnavailableError,
} from './can-link.js';
export { type BusFaultConfig, NO_FAULTS } from './bus-faults.js';
export { VirtualBus, type VirtualBusOptions, type VirtualBusStats } from './virtual-bus.js';
export { VirtualBusNode } from './virtual-bus-node.js';
export {
  type CandumpRecord,
  CandumpParseError,
  formatCandumpLine,
  parseCandumpLine,
  parseCandumpLog,
  formatCandumpLog,
} from './candump-log.js';
export {
  LINKTYPE_CAN_SOCKETCAN,
  PcapngWriter,
  pcapngHeader,
  pcapngPacket,
} from './pcapng-writer.js';
export { readPcapngFrames, PcapngParseError } from './pcapng-reader.js';
export {
  SocketcandParser,
  SocketcandProtocolError,
  formatSocketcandFrame,
  formatSocketcandSend,
  parseSocketcandFrame,
  parseSocketcandSend,
} from './socketcand-protocol.js';
export { SocketcandLink, type SocketcandLinkOptions } from './socketcand-link.js';
export {
  SocketcandServer,
  type SocketcandServerOptions,
  type SocketcandServerStats,
  type SocketcandMedium,
  type SocketcandRefusal,
} from './socketcand-server.js';
export { SocketCanLink } from './socketcan-link.js';
export {
  type LinkUri,
  LinkUriError,
  SOCKETCAND_DEFAULT_PORT,
  parseLinkUri,
  VirtualBusRegistry,
  type LinkFactoryContext,
  createLink,
} from './link-uri.js';
export { type CaptureSink, CaptureFormatError, openCaptureFile, tapLink } from './capture-file.js';
