// The emulator's error catalogue: every error becomes the wire shape the real service uses.
//  - ACS REST (`/calling/*`): CommunicationErrorResponse `{"error":{"code","message"}}` (reference §1.8).
//  - Recording storage / AMS (`/v1/objects/*`): problem-details-ish `{"title","status","instance","message","traceId"}` (§3.4).
import { randomBytes } from 'node:crypto';
import { jsonResponse, type EmulatorResponse } from '../pipeline/EmulatorResponse.js';

/** Which service surface answers: decides the error body shape. */
export type ErrorSurface = 'calling' | 'media';

/** An error that already knows its HTTP response. Thrown by handlers, turned into the response by the pipeline. */
export class EmulatorError extends Error {
  override readonly name = 'EmulatorError';
  constructor(readonly response: EmulatorResponse, message: string) {
    super(message);
  }
}

export function isEmulatorError(e: unknown): e is EmulatorError {
  return e instanceof EmulatorError || (e instanceof Error && e.name === 'EmulatorError' && 'response' in e);
}

/** CommunicationErrorResponse with the given status, code and message. */
export function communicationError(status: number, code: string, message: string, headers?: Record<string, string | number>): EmulatorError {
  return new EmulatorError(jsonResponse(status, { error: { code, message } }, headers), message);
}

const AMS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  416: 'Range Not Satisfiable',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The W3C-traceparent-like id the storage front end puts in `traceId`. */
function traceId(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`;
}

/** The AMS problem-details body, as observed on a real 401 (reference §3.4). */
function amsErrorBody(status: number, message?: string): object {
  const id = traceId();
  const title = AMS_TITLES[status] ?? 'Error';
  return {
    title,
    status,
    instance: `/microsoft/ic3/ams///trace-id/${id}?timestamp=${new Date().toISOString().replace(/\.\d+Z$/, '')}`,
    message: message ?? title,
    traceId: id,
  };
}

export function amsError(status: number, message?: string, headers?: Record<string, string | number>): EmulatorError {
  const body = amsErrorBody(status, message);
  return new EmulatorError(jsonResponse(status, body, headers), message ?? `AMS ${status}`);
}

/** The error in the right shape for the surface. `code` is used only by the ACS REST shape. */
export function surfaceError(surface: ErrorSurface, status: number, code: string, message: string, headers?: Record<string, string | number>): EmulatorError {
  return surface === 'media' ? amsError(status, message, headers) : communicationError(status, code, message, headers);
}

/** Named constructors for the errors the handlers raise. */
export const AcsErrors = {
  /** HMAC failure on `/calling/*`: the ACS gateway's body (reference §1.8, §2.4 step 6). */
  denied: () => communicationError(401, 'Denied', 'Denied by the resource provider.'),
  badRequest: (message: string) => communicationError(400, 'BadRequest', message),
  missingApiVersion: () =>
    communicationError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests."),
  unsupportedApiVersion: (v: string) =>
    communicationError(400, 'UnsupportedApiVersion', `The HTTP resource that matches the request URI does not support the API version '${v}'.`),
  recordingNotFound: () => communicationError(404, 'NotFound', 'Recording not found.'),
  callNotFound: () => communicationError(404, 'NotFound', "The call you're trying to act on doesn't exist."),
  /** Undocumented in the real service (reference §8.2); the emulator's choice is 409 Conflict. */
  recordingInProgress: () => communicationError(409, 'Conflict', 'A recording is already in progress for this call.'),
  routeNotFound: () => communicationError(404, 'NotFound', 'The requested resource does not exist.'),
  methodNotAllowed: () => communicationError(405, 'MethodNotAllowed', 'The HTTP method is not allowed on this resource.'),
  payloadTooLarge: () => communicationError(413, 'PayloadTooLarge', 'The request body is too large.'),
  internal: () => communicationError(500, '9999', 'Unknown internal server error.'),
} as const;

export const AmsErrors = {
  unauthorized: () => amsError(401, 'Unauthorized'),
  notFound: () => amsError(404, 'Not Found'),
  rangeNotSatisfiable: (total: number) => amsError(416, 'Range Not Satisfiable', { 'content-range': `bytes */${total}` }),
  internal: () => amsError(500, 'Internal Server Error'),
} as const;
