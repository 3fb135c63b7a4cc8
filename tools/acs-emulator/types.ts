// The emulator's public contract. Other parts of the project (the app's ACS client tests, the callback and archive
// tests, the local simulation) are written against exactly these shapes: add to them, never change them.
import type { Readable } from 'node:stream';
import type { SimulateCallOptions, SimulatedCall } from './calls/simulateCall.js';
import type { CallEventShape, EmulatedCallKind } from './events/callLifecycleEvents.js';

/** Options of {@link startAcsEmulator}. Every field is optional; see the DEFAULT_* constants in `defaults.ts`. */
export interface AcsEmulatorOptions {
  /** Port to listen on (host is always 127.0.0.1). Default 0: a free port. */
  port?: number;
  /** Access key (base64) of the emulated resource. Default: random 32 bytes. */
  accessKey?: string;
  /** ACS immutable resource id (GUID): audience of callback JWTs and `resourceId` of metadata. Default: random UUID. */
  resourceId?: string;
  /** Issuer of callback JWTs. Default `https://acscallautomation.communication.azure.com` (the real one). */
  issuer?: string;
  /**
   * Origin under which content/metadata/delete URLs are minted, e.g. `https://eus.storage.asm.skype.com`.
   * Clients must route that origin to the emulator themselves. Default: the emulator's own `http://127.0.0.1:<port>`.
   */
  mediaOrigin?: string;
  /** Delay before a started recording goes from `inactive` to `active` (unless `pauseOnStart`). Default 50 ms. */
  activationDelayMs?: number;
  /** Files produced when a recording stops (unless {@link AcsEmulator.setNextRecordingFiles} says otherwise). */
  defaultChunks?: { count: number; sizeBytes: number };
  /** Tolerated distance between `x-ms-date` and the emulator's clock. Default 15 minutes. */
  maxClockSkewMs?: number;
  /** Seed of the deterministic media bytes. Default 1. */
  seed?: number;
  /**
   * What a start does when it names a call the emulator has never seen (addition to the shared contract):
   * `accept` (default) registers it on the fly, `reject` answers 404 like a real resource would.
   */
  unknownCalls?: 'accept' | 'reject';
}

/** One recording file (a chunk) as the emulator serves it. */
export interface EmulatorChunk {
  documentId: string;
  index: number;
  endReason: string;
  sizeBytes: number;
  contentLocation: string;
  metadataLocation: string;
  deleteLocation: string;
  deleted: boolean;
  /** The acsmetadata document (reference §5). */
  metadata: object;
}

/** A recording as the emulator tracks it. Returned objects are live views: they change as the recording does. */
export interface EmulatorRecording {
  recordingId: string;
  serverCallId?: string;
  callConnectionId?: string;
  state: 'active' | 'inactive' | 'stopped';
  content: 'audio' | 'audioVideo';
  channel: 'mixed' | 'unmixed';
  format: 'wav' | 'mp3' | 'mp4';
  pauseOnStart: boolean;
  recordingStateCallbackUri?: string;
  startRequestBody: unknown;
  startTime: Date;
  stopTime?: Date;
  chunks: EmulatorChunk[];
  channelAffinity?: unknown;
  audioChannelParticipantOrdering?: unknown;
}

/** Operations the emulator distinguishes (`RequestLogEntry.operation`, `FaultRule.operation`). */
export const EMULATOR_OPERATIONS = [
  'startRecording',
  'getRecording',
  'pauseRecording',
  'resumeRecording',
  'stopRecording',
  'downloadContent',
  'downloadMetadata',
  'deleteRecording',
  'openid',
  'jwks',
  // The emulator's own remote control under /emulator/v1/ (addition; see control/controlRoutes.ts).
  'control',
  'unknown',
] as const;
export type EmulatorOperation = (typeof EMULATOR_OPERATIONS)[number];

/** One request the emulator received. `status` is 0 until the response head is written. */
export interface RequestLogEntry {
  method: string;
  /** Raw request-target including the query. */
  path: string;
  host?: string;
  xMsHost?: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  /** True when the request carried a valid HMAC signature. */
  authenticated: boolean;
  operation: EmulatorOperation;
  time: Date;
}

/** What a fault does to a matching request. */
export type FaultKind =
  | { type: 'status'; status: number; body?: string; contentType?: string }
  | { type: 'html'; status: number }
  | { type: 'throttle'; retryAfterSeconds: number }
  | { type: 'reset'; afterBytes: number }
  | { type: 'slow'; bytesPerSecond: number }
  | { type: 'empty'; status: number }
  /** The handler serves (or deletes) `documentId` instead: a 200 with another chunk's file (addition). */
  | { type: 'otherDocument'; documentId: string }
  /** The handler runs, and the body's first `bytes` (default 16) are zeros: a 200 whose container signature is wrong (addition). */
  | { type: 'zeroHead'; bytes?: number };

/** A fault and the requests it applies to. Unset selectors match everything; `times` defaults to 1. */
export interface FaultRule {
  operation?: RequestLogEntry['operation'];
  documentId?: string;
  recordingId?: string;
  times?: number;
  fault: FaultKind;
}

/** One outbound webhook POST made by the emulator (addition to the shared contract). */
export interface DeliveryLogEntry {
  url: string;
  eventType: string;
  /** HTTP status, or undefined when the POST failed or was skipped (see `error`). */
  status?: number;
  error?: string;
  time: Date;
}

/** Which files a stop produces: `count` files of `sizeBytes`, or one file per entry of `sizesBytes`. */
export type RecordingFilesSpec = { count: number; sizeBytes: number } | { sizesBytes: number[] };

/** Options of {@link AcsEmulator.createRecordingWithFiles}. */
export interface CreateRecordingWithFilesOptions {
  /** Number of chunks of the default size, or one explicit size per chunk. */
  chunks: number | number[];
  serverCallId?: string;
  /** Default `audio`. */
  content?: EmulatorRecording['content'];
  /** Default `mixed`. */
  channel?: EmulatorRecording['channel'];
  /** Default: `mp4` for audioVideo, `wav` otherwise. */
  format?: EmulatorRecording['format'];
}

/** A running emulator. */
export interface AcsEmulator {
  readonly port: number;
  /** `http://127.0.0.1:<port>/` */
  readonly endpoint: string;
  readonly accessKey: string;
  /** `endpoint=http://127.0.0.1:<port>/;accesskey=<key>` */
  readonly connectionString: string;
  readonly resourceId: string;
  readonly issuer: string;
  readonly openIdConfigUrl: string;
  readonly jwksUrl: string;
  readonly mediaOrigin: string;
  /** Every request received, in order of arrival. */
  readonly requests: RequestLogEntry[];
  /** Every outbound webhook POST, in order (addition). */
  readonly deliveries: DeliveryLogEntry[];
  /** Called once per request, after its response has finished (or the connection ended). Returns an unsubscribe. */
  onRequest(listener: (e: RequestLogEntry) => void): () => void;
  close(): Promise<void>;

  /**
   * Registers a call, publishes Event Grid `CallStarted` to `callStarted.url` (when given), and POSTs a
   * `CallConnected` CloudEvents array (with a signed JWT) to `callbackUrl` (when given).
   */
  simulateCall(o: SimulateCallOptions): Promise<SimulatedCall>;
  /**
   * Ends the call (its running recording stops and gets its files), then POSTs `CallDisconnected` to `callbackUrl`
   * and, for a call simulated with `callStarted`, publishes Event Grid `CallEnded`.
   */
  disconnectCall(o: { callbackUrl?: string; serverCallId: string; callConnectionId?: string; correlationId?: string }): Promise<{ status: number; callEndedStatus?: number }>;

  getRecording(recordingId: string): EmulatorRecording | undefined;
  listRecordings(): EmulatorRecording[];
  /** Files produced by the next stop (one-shot; later stops fall back to `defaultChunks`). */
  setNextRecordingFiles(o: RecordingFilesSpec): void;
  /** Create a stopped recording with files directly (archive tests, benchmarks) — no call needed. */
  createRecordingWithFiles(o: CreateRecordingWithFilesOptions): EmulatorRecording;
  /**
   * One Event Grid `CallStarted` / `CallEnded` event object (not an array) for a call (registered if unknown). A call
   * simulated with `callStarted` keeps its facts and shape unless overridden; the duration of CallEnded is the time
   * since the call was registered here or simulated.
   */
  buildCallEvent(
    type: 'CallStarted' | 'CallEnded',
    serverCallId?: string,
    o?: { schema?: 'EventGrid' | 'CloudEvents'; shape?: CallEventShape; kind?: EmulatedCallKind },
  ): object;
  /** One `RecordingFileStatusUpdated` event object (not an array) for a stopped recording. */
  buildRecordingFileStatusUpdated(recordingId: string, schema?: 'EventGrid' | 'CloudEvents'): object;
  /** POSTs `[event]` to `url` the way Event Grid delivers (aeg-* headers). */
  publishRecordingFileStatusUpdated(recordingId: string, url: string, o?: { schema?: 'EventGrid' | 'CloudEvents' }): Promise<{ status: number }>;
  /** The exact bytes the emulator serves for a file (also after the document was deleted), streamed. */
  openFile(documentId: string, kind: 'content' | 'metadata', range?: { start: number; end?: number }): Readable;
  /** Base64 MD5 of the full file, streamed. */
  fileMd5(documentId: string, kind: 'content' | 'metadata'): Promise<string>;

  /** An RS256 JWT like the ones on callbacks; `key: 'foreign'` signs with a key that is not in the JWKS. */
  mintCallbackToken(claims?: Record<string, unknown>, o?: { expiresInSeconds?: number; key?: 'emulator' | 'foreign' }): Promise<string>;
  injectFault(rule: FaultRule): void;
  clearFaults(): void;
}
