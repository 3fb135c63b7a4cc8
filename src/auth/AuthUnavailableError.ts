// 503 for "cannot check the caller right now" (the OpenID configuration or signing keys are unreachable). The
// request is still refused — auth fails closed — but the status tells ACS and operators it is worth retrying.
import { HttpError } from '../shared/errors.js';

export class AuthUnavailableError extends HttpError {
  override name = 'AuthUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(503, 'AuthUnavailable', message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
