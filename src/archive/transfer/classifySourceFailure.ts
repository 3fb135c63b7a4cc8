// Decides, without acting, whether a failed open or read of the source is worth resuming. One place (SourceReader)
// acts on the decision: it sleeps and reopens, within the call's resume budget.
import { classifyAcsFailure } from '../../acs/classifyAcsFailure.js';
import { isAcsRequestError } from '../../acs/errors.js';
import { isTransferConflictError, isTransferVerificationError } from './errors.js';
import { statusCodeOf } from '../../shared/errors.js';

/** What to do about a failure of the source. */
export type SourceFailureDecision = { retry: true; retryAfterMs?: number } | { retry: false };

/** HTTP statuses worth another attempt: timeouts, throttling, server errors. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function statusOf(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { status } = e as { status?: unknown };
  return statusCodeOf(e) ?? (typeof status === 'number' ? status : undefined);
}

/**
 * Transient: network errors, resets, timeouts, early end of stream, 408/429/5xx (honouring `retryAfterMs`).
 * Permanent: any other HTTP status (400/401/403/404/410/416…), a rejected URL, verification failures, aborts.
 */
export function classifySourceFailure(e: unknown): SourceFailureDecision {
  if (isTransferVerificationError(e) || isTransferConflictError(e)) return { retry: false };
  if (e instanceof Error && (e.name === 'AbortError' || e.name === 'DisallowedUrlError')) return { retry: false };
  if (isAcsRequestError(e)) {
    // The ACS client's own verdict: transient/throttled are retried; gone, unauthorized and invalid never are.
    const c = classifyAcsFailure(e);
    if (c !== 'transient' && c !== 'throttled') return { retry: false };
    return e.retryAfterMs === undefined ? { retry: true } : { retry: true, retryAfterMs: e.retryAfterMs };
  }
  const status = statusOf(e);
  if (status !== undefined && !isTransientStatus(status)) return { retry: false };
  // Anything else is a broken connection, a stalled or truncated body, or a 5xx without a typed error.
  return { retry: true };
}
