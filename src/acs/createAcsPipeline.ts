// The one place the ACS request pipeline is composed. Order (core-rest-pipeline phases, outermost first):
//   acsErrorPolicy          no phase   non-2xx / transport failure → AcsRequestError (after retries are exhausted)
//   setClientRequestId      no phase   x-ms-client-request-id
//   userAgent               no phase
//   acsRetryPolicy          Retry      bounded exponential backoff + jitter, Retry-After honoured
//   acsAttemptLogPolicy     Retry      one log line per attempt
//   tracingPolicy           after Retry  one client span per attempt (Azure SDK tracing: URL query values redacted)
//   acsAuthPolicy           Sign       HMAC or bearer — after Retry, so every attempt is signed afresh
// The media client adds msHostHeaderPolicy after "Sign" to send the signed request to the storage host.
import {
  createEmptyPipeline,
  setClientRequestIdPolicy,
  tracingPolicy,
  userAgentPolicy,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { AcsAuthConfig } from '../config.js';
import { silentLogger, type Logger } from '../shared/logging.js';
import { DEFAULT_MAX_RETRIES } from './decideRetry.js';
import { acsAttemptLogPolicy } from './policies/acsAttemptLogPolicy.js';
import { acsAuthPolicy } from './policies/acsAuthPolicy.js';
import { acsErrorPolicy } from './policies/acsErrorPolicy.js';
import { acsRetryPolicy } from './policies/acsRetryPolicy.js';

export const ACS_USER_AGENT_PREFIX = 'acs-recording-archiver';

/** Options of {@link createAcsPipeline}. */
export interface AcsPipelineOptions {
  /** Retries after the first attempt (default {@link DEFAULT_MAX_RETRIES}; config `ACS_MAX_RETRIES`). */
  maxRetries?: number;
  /** Base backoff delay (default `DEFAULT_RETRY_DELAY_MS`); tests shorten it. */
  retryDelayMs?: number;
  /** Cap of one backoff step (default `DEFAULT_MAX_RETRY_DELAY_MS`). */
  maxRetryDelayMs?: number;
  /** Longest `Retry-After` waited for in-process (default `DEFAULT_MAX_RETRY_AFTER_MS`). */
  maxRetryAfterMs?: number;
  /** Per-attempt logging (default silent). */
  logger?: Logger;
  /** Token credential replacing the ManagedIdentityCredential for `managedIdentity` auth. */
  credential?: TokenCredential;
}

/** Builds the pipeline shared by the recording and media clients. */
export function createAcsPipeline(auth: AcsAuthConfig, options: AcsPipelineOptions = {}): Pipeline {
  const { maxRetries = DEFAULT_MAX_RETRIES, logger = silentLogger } = options;
  const pipeline = createEmptyPipeline();
  pipeline.addPolicy(acsErrorPolicy());
  pipeline.addPolicy(setClientRequestIdPolicy());
  pipeline.addPolicy(userAgentPolicy({ userAgentPrefix: ACS_USER_AGENT_PREFIX }));
  pipeline.addPolicy(
    acsRetryPolicy({
      maxRetries,
      retryDelayMs: options.retryDelayMs,
      maxRetryDelayMs: options.maxRetryDelayMs,
      maxRetryAfterMs: options.maxRetryAfterMs,
      logger,
    }),
    { phase: 'Retry' },
  );
  pipeline.addPolicy(acsAttemptLogPolicy(logger), { phase: 'Retry' });
  pipeline.addPolicy(tracingPolicy({ userAgentPrefix: ACS_USER_AGENT_PREFIX }), { afterPhase: 'Retry' });
  pipeline.addPolicy(acsAuthPolicy(auth, { credential: options.credential }), { phase: 'Sign' });
  return pipeline;
}
