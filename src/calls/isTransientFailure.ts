// Pure decision: is a failure of handling a callback event worth a redelivery? ACS refusing the start (4xx other
// than 408/429: bad request, call gone, already recording) will refuse it again; throttling, 5xx, network,
// timeouts and state-table trouble may pass.
import { isAcsRequestError } from '../acs/errors.js';

export function isTransientFailure(e: unknown): boolean {
  if (!isAcsRequestError(e)) return true;
  const status = e.statusCode;
  return status === undefined || status === 408 || status === 429 || status >= 500;
}
