// The one place where errors become HTTP (the callback, the control API, and the settings guard's ConfigError):
// typed errors keep their status, ACS failures are mapped (acsErrorToHttpError), state-table failures are a 503 (a
// 400 when the table refused the request's values: a retry would get the same answer), anything else is logged and
// answered with a bare 500 that leaks nothing. The catalogue of error classes is in src/shared/errors.ts.
import type { HttpResponseInit } from '@azure/functions';
import { isAcsRequestError } from '../acs/errors.js';
import { ensureError, errorBody, HttpError, isHttpError } from '../shared/errors.js';
import type { Logger } from '../shared/logging.js';
import { acsErrorToHttpError } from './acsErrorToHttpError.js';
import { AcsUpstreamError } from './AcsUpstreamError.js';
import { ConcurrentUpdateError } from './mutateRow.js';
import { StateStoreError } from './TableCallStateStore.js';

function isStateStoreFailure(e: unknown): e is StateStoreError | ConcurrentUpdateError {
  return e instanceof StateStoreError || e instanceof ConcurrentUpdateError;
}

// The state table is unreachable or contended: nothing the caller did wrong, and worth a retry. Unless the table
// refused the values themselves (400/413): then the same request gets the same answer, and saying "retry later"
// would only bring it back.
function stateStoreUnavailable(e: StateStoreError | ConcurrentUpdateError, log: Logger): HttpError {
  if (e instanceof StateStoreError && e.rejected) {
    log.warn('State table refused the request values', { error: `${e.name}: ${e.message}` });
    return new HttpError(400, 'StateStoreRejected', 'The call state store refused to store the values of this request (an id or field is too large or invalid)');
  }
  log.error('State table failure', { error: `${e.name}: ${e.message}` });
  return new HttpError(503, 'StateStoreUnavailable', 'The call state store is unavailable; retry later');
}

/** Known errors keep their status and message; anything else is a bare 500. */
function toHttpResponse(e: unknown): HttpResponseInit {
  if (isHttpError(e)) return { status: e.status, jsonBody: errorBody(e.code, e.message, e.details) };
  return { status: 500, jsonBody: errorBody('InternalError', 'An internal error occurred.') };
}

/** The response for anything a handler caught; `log` gets the line an unknown or upstream failure deserves. */
export function toApiResponse(e: unknown, log: Logger): HttpResponseInit {
  const err = isAcsRequestError(e) ? acsErrorToHttpError(e) : isStateStoreFailure(e) ? stateStoreUnavailable(e, log) : e;
  if (!isHttpError(err)) {
    const error = ensureError(e);
    log.error('Request failed', { error: `${error.name}: ${error.message}` });
    return toHttpResponse(error);
  }
  if (err.status >= 500) log.warn('Request failed upstream', { status: err.status, code: err.code, error: err.message });
  const response = toHttpResponse(err);
  if (err instanceof AcsUpstreamError && err.retryAfterSeconds !== undefined) {
    return { ...response, headers: { 'Retry-After': String(err.retryAfterSeconds) } };
  }
  return response;
}
