// Default values of AcsEmulatorOptions and the fixed facts of the emulated service, in one place.

export const DEFAULT_ISSUER = 'https://acscallautomation.communication.azure.com';
export const DEFAULT_ACTIVATION_DELAY_MS = 50;
export const DEFAULT_CHUNKS = { count: 1, sizeBytes: 256 * 1024 } as const;
export const DEFAULT_MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
export const DEFAULT_SEED = 1;
/** Lifetime of callback JWTs: the real service's tokens live 5 minutes (reference §6.1). */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 5 * 60;
/** Requests to the emulator are small JSON documents; anything larger is refused with 413. */
export const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;
/** Timeout of every webhook POST the emulator makes. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
/** Automatic callbacks (RecordingStateChanged) are retried this many times on network errors / 5xx / 429. */
export const DEFAULT_DELIVERY_RETRIES = 2;

/** GA and preview api-versions of Call Automation (reference §1.1); anything else is answered with 400. */
export const SUPPORTED_API_VERSIONS: ReadonlySet<string> = new Set([
  '2023-03-06',
  '2023-10-15',
  '2024-04-15',
  '2024-09-15',
  '2025-05-15',
  '2025-06-15',
  '2026-03-12',
  '2022-04-07-preview',
  '2023-01-15-preview',
  '2023-06-15-preview',
  '2023-10-03-preview',
  '2024-01-22-preview',
  '2024-06-15-preview',
  '2024-11-15-preview',
  '2025-03-30-preview',
  '2025-08-15-preview',
]);

/** api-version written into callback events (`data.version`). */
export const EVENT_API_VERSION = '2026-03-12';
