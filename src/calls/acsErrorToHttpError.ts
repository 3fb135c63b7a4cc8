// Maps a failed ACS call to the status this API answers with (ACS's code kept in the body):
// 400/404/409 pass through (the caller's request or resource); 401/403 become 502 (our credential is the problem,
// not the caller's); 429 becomes 503 with Retry-After (ACS still throttled after the client's own retries); 5xx,
// network failures and timeouts become 502.
import type { AcsRequestError } from '../acs/errors.js';
import { AcsUpstreamError } from './AcsUpstreamError.js';

/** Retry-After sent on a 503 when ACS gave none. */
export const DEFAULT_THROTTLED_RETRY_AFTER_SECONDS = 5;

export function acsErrorToHttpError(e: AcsRequestError): AcsUpstreamError {
  const acs = e.statusCode;
  const details = { acsStatus: acs ?? null, ...(e.requestId ? { acsRequestId: e.requestId } : {}) };
  switch (acs) {
    case 400:
    case 404:
    case 409:
      return new AcsUpstreamError(acs, e.code, e.message, details);
    case 401:
    case 403:
      return new AcsUpstreamError(502, e.code, `ACS refused this app's credentials (HTTP ${acs}): ${e.message}`, details);
    case 429: {
      const seconds = e.retryAfterMs === undefined ? DEFAULT_THROTTLED_RETRY_AFTER_SECONDS : Math.max(1, Math.ceil(e.retryAfterMs / 1000));
      return new AcsUpstreamError(503, e.code, `ACS is throttling requests: ${e.message}`, details, seconds);
    }
    default:
      return new AcsUpstreamError(502, e.code, `ACS request failed${acs ? ` (HTTP ${acs})` : ''}: ${e.message}`, details);
  }
}
