// The pure retry decision for ACS requests: given what one attempt produced, retry (after how long) or stop.
// The policy in policies/acsRetryPolicy.ts acts on it; keeping it pure lets the rules be table-tested. WHAT is worth
// a retry is the app's failure model (src/shared/failureModel.ts); this module only adds how often and how long.
import type { HttpHeaders } from '@azure/core-rest-pipeline';
import { backoffDelayMs } from '../shared/backoffDelayMs.js';
import { classifyFailure, classifyStatus, isQuickRetryable, MAX_QUICK_RETRY_AFTER_MS, type Failure } from '../shared/failureModel.js';
import { parseRetryAfterMs } from './parseRetryAfterMs.js';

/** Retries after the first attempt unless configured (`ACS_MAX_RETRIES`). */
export const DEFAULT_MAX_RETRIES = 4;
/** Base of the exponential backoff: attempt n waits about `base * 2^n`. */
export const DEFAULT_RETRY_DELAY_MS = 800;
/** Cap of one exponential backoff step. */
export const DEFAULT_MAX_RETRY_DELAY_MS = 20_000;
/**
 * The longest server-requested wait honoured inside one request. A longer `Retry-After` stops the retry loop and
 * surfaces on {@link AcsRequestError.retryAfterMs}, so a durable caller can schedule the retry instead of blocking.
 */
export const DEFAULT_MAX_RETRY_AFTER_MS = MAX_QUICK_RETRY_AFTER_MS;

/** What one attempt produced: a response (any status) or a thrown error. */
export type AttemptOutcome =
  | { response: { status: number; headers: Pick<HttpHeaders, 'get'> } }
  | {
      error: unknown;
      /** True when the caller's abort signal fired: never retried. */
      aborted?: boolean;
    };

export type RetryDecision = { retryAfterMs: number } | { stop: true };

export interface RetryDecisionOptions {
  maxRetries?: number;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  maxRetryAfterMs?: number;
  /** Source of jitter in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
  /** Clock for HTTP-date `Retry-After` values. */
  nowMs?: number;
}

/**
 * Decide what to do after attempt number `attempt` (0 = the first try).
 *
 * - Stop on success, on failures the failure model does not call transient (or does not recognise, such as
 *   programming errors), on the caller's abort, once `maxRetries` retries were made, or when the server asks for a
 *   wait longer than `maxRetryAfterMs`.
 * - Transient responses carrying `Retry-After` / `retry-after-ms` / `x-ms-retry-after-ms` wait exactly that long.
 * - Otherwise exponential backoff with "equal jitter": half of `min(max, base * 2^attempt)` fixed, half random.
 */
export function decideRetry(outcome: AttemptOutcome, attempt: number, options: RetryDecisionOptions = {}): RetryDecision {
  const {
    maxRetries = DEFAULT_MAX_RETRIES,
    retryDelayMs = DEFAULT_RETRY_DELAY_MS,
    maxRetryDelayMs = DEFAULT_MAX_RETRY_DELAY_MS,
    maxRetryAfterMs = DEFAULT_MAX_RETRY_AFTER_MS,
    random = Math.random,
    nowMs = Date.now(),
  } = options;

  if (attempt >= maxRetries) return { stop: true };

  let failure: Failure;
  if ('response' in outcome) {
    const { status, headers } = outcome.response;
    if (status < 400) return { stop: true };
    failure = classifyStatus(status, parseRetryAfterMs(headers, nowMs));
  } else {
    if (outcome.aborted) return { stop: true };
    failure = classifyFailure(outcome.error);
  }
  if (!isQuickRetryable(failure, maxRetryAfterMs)) return { stop: true };
  if (failure.retryAfterMs !== undefined) return { retryAfterMs: failure.retryAfterMs };

  return { retryAfterMs: backoffDelayMs(attempt, retryDelayMs, maxRetryDelayMs, random) };
}
