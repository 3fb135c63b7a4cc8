// The pure classifier the archive (and any caller) uses to decide whether an ACS failure is worth retrying later.
import { DisallowedUrlError, isAcsRequestError } from './errors.js';
import { isRetryableStatus } from './decideRetry.js';
import { INVALID_RESPONSE_CODE, UNEXPECTED_STATUS_CODE } from './toAcsRequestError.js';

/**
 * - `transient`: network error, timeout, 408, 5xx (except 501/505) — retry with backoff.
 * - `throttled`: 429, or 503 with a `Retry-After` — retry after {@link AcsRequestError.retryAfterMs}.
 * - `gone`: 404/410 — the recording or file no longer exists (ACS keeps files 24 h); retrying cannot help.
 * - `unauthorized`: 401/403 — wrong key, missing role; fix configuration.
 * - `invalid`: any other 4xx, 501/505, an unexpected status or body, or a URL refused by the allow-list.
 */
export type AcsFailureClass = 'transient' | 'throttled' | 'gone' | 'unauthorized' | 'invalid';

export function classifyAcsFailure(e: unknown): AcsFailureClass {
  if (e instanceof DisallowedUrlError || (e instanceof Error && e.name === 'DisallowedUrlError')) return 'invalid';
  if (!isAcsRequestError(e)) return 'transient';
  if (e.code === UNEXPECTED_STATUS_CODE || e.code === INVALID_RESPONSE_CODE) return 'invalid';
  const status = e.statusCode;
  if (status === undefined) return 'transient';
  if (status === 429 || (status === 503 && e.retryAfterMs !== undefined)) return 'throttled';
  if (status === 404 || status === 410) return 'gone';
  if (status === 401 || status === 403) return 'unauthorized';
  return isRetryableStatus(status) ? 'transient' : 'invalid';
}

/** True for failures no retry can fix (`gone`, `unauthorized`, `invalid`): stop retrying and record the failure. */
export function isPermanentAcsError(e: unknown): boolean {
  const c = classifyAcsFailure(e);
  return c === 'gone' || c === 'unauthorized' || c === 'invalid';
}
