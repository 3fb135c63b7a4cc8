// The pure retry decision for ACS requests: given what one attempt produced, retry (after how long) or stop.
// The policy in policies/acsRetryPolicy.ts acts on it; keeping it pure lets the rules be table-tested.
import type { HttpHeaders } from '@azure/core-rest-pipeline';
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
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** Error codes of transport failures worth retrying (Node system errors and core-rest-pipeline's send error). */
export const RETRYABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'REQUEST_SEND_ERROR',
]);

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

/** Whether a status is worth another attempt: 408, 429 and 5xx except 501 (Not Implemented) and 505 (HTTP Version). */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status !== 501 && status !== 505;
}

/** Whether a thrown error is a transport failure (network error or per-request timeout) worth another attempt. */
export function isRetryableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // core-rest-pipeline reports its per-request timeout as an AbortError; the caller's own abort is excluded earlier.
  if (error.name === 'AbortError') return true;
  const { code, statusCode } = error as Error & { code?: unknown; statusCode?: unknown };
  if (typeof statusCode === 'number') return isRetryableStatus(statusCode);
  return typeof code === 'string' && RETRYABLE_ERROR_CODES.has(code);
}

/**
 * Decide what to do after attempt number `attempt` (0 = the first try).
 *
 * - Stop on success, on non-retryable statuses/errors, on the caller's abort, once `maxRetries` retries were made, or
 *   when the server asks for a wait longer than `maxRetryAfterMs`.
 * - Retryable responses carrying `Retry-After` / `retry-after-ms` / `x-ms-retry-after-ms` wait exactly that long.
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

  if ('response' in outcome) {
    const { status, headers } = outcome.response;
    if (!isRetryableStatus(status)) return { stop: true };
    const requested = parseRetryAfterMs(headers, nowMs);
    if (requested !== undefined) return requested > maxRetryAfterMs ? { stop: true } : { retryAfterMs: requested };
  } else if (outcome.aborted || !isRetryableError(outcome.error)) {
    return { stop: true };
  }

  const exponential = Math.min(maxRetryDelayMs, retryDelayMs * 2 ** attempt);
  return { retryAfterMs: Math.round(exponential / 2 + random() * (exponential / 2)) };
}
