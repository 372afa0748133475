export {
  AppendFile,
  fsyncDirectory,
  writeFileAtomically,
  writeFully,
  type AppendSync,
  type AtomicWriteOptions,
} from './durable-file.js';
export { BatchedFile, type BatchedFileOptions } from './batched-file.js';
export {
  quarantine,
  quarantineCopy,
  quarantineName,
  type QuarantineOptions,
} from './quarantine.js';
export { CHECKSUM_MEMBER, readCheckedJson, stampJson, type CheckedJson } from './checked-json.js';
export {
  DataFolderLock,
  DataFolderLockedError,
  LOCK_FILE,
  systemLockEnvironment,
  type LockEnvironment,
  type LockOwner,
} from './data-folder-lock.js';
