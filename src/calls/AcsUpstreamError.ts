// An ACS failure as this API reports it: the HTTP status our caller should see, ACS's own error code in the body,
// and Retry-After when ACS throttled us.
import { HttpError } from '../shared/errors.js';

export class AcsUpstreamError extends HttpError {
  override name = 'AcsUpstreamError';
  constructor(
    status: number,
    code: string,
    message: string,
    details: { acsStatus: number | null; acsRequestId?: string },
    /** Seconds for the `Retry-After` response header (503 only). */
    readonly retryAfterSeconds?: number,
  ) {
    super(status, code, message, details);
  }
}
