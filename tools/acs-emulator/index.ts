// Public entry point of the ACS emulator: the programmatic API other code and tests use.
export { startAcsEmulator } from './server.js';
export type {
  AcsEmulator,
  AcsEmulatorOptions,
  CreateRecordingWithFilesOptions,
  DeliveryLogEntry,
  EmulatorChunk,
  EmulatorOperation,
  EmulatorRecording,
  FaultKind,
  FaultRule,
  RecordingFilesSpec,
  RequestLogEntry,
} from './types.js';
export {
  DEFAULT_ACTIVATION_DELAY_MS,
  DEFAULT_CHUNKS,
  DEFAULT_ISSUER,
  DEFAULT_MAX_CLOCK_SKEW_MS,
  DEFAULT_SEED,
  SUPPORTED_API_VERSIONS,
} from './defaults.js';
export { buildStringToSign, computeContentHash, computeSignature, EMPTY_CONTENT_HASH, verifyHmacRequest } from './auth/hmacAuthenticator.js';
