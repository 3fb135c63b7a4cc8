// Bounded retries with exponential backoff and jitter, honouring Retry-After; the decision itself is decideRetry().
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import { decideRetry, type AttemptOutcome, type RetryDecisionOptions } from '../decideRetry.js';
import { requestLogContext, requestLogger } from '../requestLogFields.js';
import { describeError, ensureError } from '../../shared/errors.js';
import { silentLogger, type Logger } from '../../shared/logging.js';
import { recordRetry } from '../../shared/telemetry.js';
import { abortError, sleep } from '../../shared/abort.js';

export const acsRetryPolicyName = 'acsRetryPolicy';

/** Options of {@link acsRetryPolicy}; defaults are the `DEFAULT_*` constants of decideRetry.ts. */
export interface AcsRetryPolicyOptions extends Omit<RetryDecisionOptions, 'nowMs'> {
  logger?: Logger;
}

/**
 * Re-sends a request while {@link decideRetry} says so. Every retry goes through the phases after "Retry" again,
 * so with signing in "Sign" each attempt carries a fresh `x-ms-date` and signature; idempotency headers set by the
 * client (`Repeatability-Request-ID`, `Repeatability-First-Sent`) live on the same request object and are reused.
 */
export function acsRetryPolicy(options: AcsRetryPolicyOptions = {}): PipelinePolicy {
  const { logger = silentLogger, ...decisionOptions } = options;
  return {
    name: acsRetryPolicyName,
    async sendRequest(request, next) {
      for (let attempt = 0; ; attempt++) {
        let response: PipelineResponse | undefined;
        let outcome: AttemptOutcome;
        try {
          response = await next(request);
          outcome = { response };
        } catch (error) {
          outcome = { error, aborted: request.abortSignal?.aborted === true };
        }
        const decision = decideRetry(outcome, attempt, { ...decisionOptions, nowMs: Date.now() });
        if ('stop' in decision) {
          if ('error' in outcome) throw outcome.error;
          return response!;
        }
        // A retried response is discarded: free its socket if it was streamed.
        (response?.readableStreamBody as { destroy?: () => void } | undefined)?.destroy?.();
        requestLogger(request, logger).warn('ACS request will be retried', {
          ...requestLogContext(request),
          status: response?.status,
          error: 'error' in outcome ? describeError(outcome.error) : undefined,
          attempt: attempt + 1,
          retryInMs: decision.retryAfterMs,
        });
        recordRetry('acs-http', String(response?.status ?? ('error' in outcome ? ensureError(outcome.error).name : 'unknown')));
        await sleep(decision.retryAfterMs, { signal: request.abortSignal, onAbort: () => abortError('The operation was aborted while waiting to retry.') });
      }
    },
  };
}
