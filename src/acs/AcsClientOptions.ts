// The options bag shared by RestAcsRecordingClient and RestAcsMediaClient.
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { Logger } from '../shared/logging.js';

/** Per-attempt timeout unless configured (`ACS_REQUEST_TIMEOUT_MS`). */
export const DEFAULT_ACS_TIMEOUT_MS = 30_000;

/** Options shared by the ACS clients; every field is optional. */
export interface AcsClientOptions {
  /** Transport; tests inject one that routes ACS/storage hosts to the loopback emulator. */
  httpClient?: HttpClient;
  /** Per-attempt logs (default silent). */
  logger?: Logger;
  /** Retries after the first attempt (default `DEFAULT_MAX_RETRIES` = 4). */
  maxRetries?: number;
  /**
   * Per-attempt timeout in ms until response headers arrive (default {@link DEFAULT_ACS_TIMEOUT_MS}); for downloads
   * also the longest gap between two body chunks while the consumer is reading.
   */
  timeoutMs?: number;
  /** Base backoff delay in ms (default `DEFAULT_RETRY_DELAY_MS`); tests shorten it. */
  retryDelayMs?: number;
  /** Token credential for `managedIdentity` auth instead of ManagedIdentityCredential. */
  credential?: TokenCredential;
}
