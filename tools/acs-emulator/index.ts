// Public entry point of the ACS emulator: the programmatic API other code and tests use.
export { startAcsEmulator } from './server.js';
export type { CallStartedOptions, SimulateCallOptions, SimulatedCall } from './calls/simulateCall.js';
export type { CallEventShape, EmulatedCallKind } from './events/callLifecycleEvents.js';
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
