// Builds the typed AcsRequestError for a failed response or a failed transport, so callers see one error class.
import type { PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { AcsRequestError } from './errors.js';
import { parseAcsErrorBody } from './parseAcsErrorBody.js';
import { parseRetryAfterMs } from './parseRetryAfterMs.js';

/** Synthetic codes for failures that produced no HTTP status. */
export const NETWORK_ERROR_CODE = 'NetworkError';
export const TIMEOUT_CODE = 'Timeout';
/** A 2xx the operation does not define (e.g. a 204 where ACS promises 200). */
export const UNEXPECTED_STATUS_CODE = 'UnexpectedStatus';
/** A success whose body is not the documented shape. */
export const INVALID_RESPONSE_CODE = 'InvalidResponse';

/** The request id to report for `response`: the service's, else the one this client sent. */
export function requestIdOf(response: PipelineResponse): string | undefined {
  return response.headers.get('x-ms-request-id') ?? response.headers.get('x-ms-client-request-id') ?? response.request.requestId;
}

/** The error for a response whose status is not a success of the operation. */
export function acsErrorFromResponse(response: PipelineResponse): AcsRequestError {
  const { status } = response;
  const parsed =
    status >= 200 && status < 300
      ? { code: UNEXPECTED_STATUS_CODE, message: `Unexpected HTTP ${status} from ${response.request.method}` }
      : parseAcsErrorBody(status, response.headers.get('content-type'), response.bodyAsText ?? undefined);
  // A streamed body (200/206 on downloads) is not read here; release the socket.
  (response.readableStreamBody as { destroy?: () => void } | undefined)?.destroy?.();
  return new AcsRequestError(parsed.message, status, parsed.code, {
    retryAfterMs: parseRetryAfterMs(response.headers),
    requestId: requestIdOf(response),
  });
}

/**
 * The error for a request that produced no response: network failure, or the per-request timeout (which
 * core-rest-pipeline reports as an AbortError). Returns `undefined` for the caller's own abort: that error is
 * re-thrown unchanged, it is not an ACS failure.
 */
export function acsErrorFromTransport(error: unknown, request: PipelineRequest): AcsRequestError | undefined {
  if (request.abortSignal?.aborted) return undefined;
  if (error instanceof AcsRequestError) return error;
  const e = error instanceof Error ? error : new Error(String(error));
  if (e.name === 'AbortError') {
    return new AcsRequestError(`ACS request timed out after ${request.timeout} ms`, undefined, TIMEOUT_CODE, {
      cause: e,
      requestId: request.requestId,
    });
  }
  const statusCode = (e as { statusCode?: unknown }).statusCode;
  return new AcsRequestError(e.message || 'ACS request failed', typeof statusCode === 'number' ? statusCode : undefined, NETWORK_ERROR_CODE, {
    cause: e,
    requestId: request.requestId,
  });
}
