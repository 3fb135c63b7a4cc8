// Everything a running emulator holds, shared by the pipeline, the handlers and the programmatic facade.
import type { JwtIssuer } from './auth/jwtIssuer.js';
import type { FaultInjector } from './faults/faultInjector.js';
import type { DeterministicMedia } from './media/deterministicMedia.js';
import type { RecordingStore } from './store/RecordingStore.js';
import type { DeliveryLogEntry, RequestLogEntry } from './types.js';

/** AcsEmulatorOptions with every default applied. */
export interface ResolvedOptions {
  accessKey: string;
  resourceId: string;
  issuer: string;
  activationDelayMs: number;
  defaultChunks: { count: number; sizeBytes: number };
  maxClockSkewMs: number;
  seed: number;
  unknownCalls: 'accept' | 'reject';
}

export interface EmulatorRuntime {
  readonly options: ResolvedOptions;
  readonly store: RecordingStore;
  readonly media: DeterministicMedia;
  readonly jwt: JwtIssuer;
  readonly faults: FaultInjector;
  readonly requests: RequestLogEntry[];
  readonly deliveries: DeliveryLogEntry[];
  readonly requestListeners: Set<(e: RequestLogEntry) => void>;
  /** `http://127.0.0.1:<port>/`; known once listening. */
  endpoint: string;
  /** Origin (plus optional base path) of minted media URLs, without trailing slash. */
  mediaOrigin: string;
  /** Path part of `mediaOrigin` ('' for a bare origin), stripped before routing media requests. */
  mediaPathPrefix: string;
}
