// The app's error base classes (HttpError and its plain 4xx kinds), the helpers every `catch` uses, and the catalogue
// of every error class the app throws. Errors become HTTP responses in one place: src/calls/toApiResponse.ts.
//
// Catalogue. HTTP: the status the callback and control API answer with (toApiResponse); "—" for errors of the
// Event Grid and Durable paths only (should one reach HTTP, it is a bare 500). Failure: the failure model's verdict
// (src/shared/failureModel.ts: T = transient, retried; P = permanent), by the error's `name`.
// test/shared/errorCatalogue.test.ts keeps this table complete and its failure column true.
//
// | Error                       | Module                               | HTTP                          | Failure                              |
// |-----------------------------|--------------------------------------|-------------------------------|--------------------------------------|
// | HttpError                   | shared/errors.ts                     | its `status`                  | by status                            |
// | ValidationError             | shared/errors.ts                     | 400 BadRequest                | P InvalidInput                       |
// | UnauthorizedError           | shared/errors.ts                     | 401 Unauthorized              | P Refused (401)                      |
// | NotFoundError               | shared/errors.ts                     | 404 NotFound                  | P Gone (404)                         |
// | PayloadTooLargeError        | calls/readJsonBody.ts                | 413 PayloadTooLarge           | P Rejected (413)                     |
// | RecordingConflictError      | calls/RecordingConflictError.ts      | 409 RecordingAlready…/…InProgress | P Rejected (409)                 |
// | AcsUpstreamError            | calls/AcsUpstreamError.ts            | 400/404/409, 502, 503         | by status                            |
// | AuthUnavailableError        | auth/AuthUnavailableError.ts         | 503 AuthUnavailable           | T AuthUnavailable                    |
// | ConfigError                 | config.ts                            | 500 ConfigError               | P Misconfigured                      |
// | AcsRequestError             | acs/errors.ts                        | as AcsUpstreamError (acsErrorToHttpError) | by status; none: T Timeout/NetworkError; UnexpectedStatus/InvalidResponse: P UnexpectedResponse |
// | DisallowedUrlError          | acs/errors.ts                        | —                             | P DisallowedUrl                      |
// | StateStoreError             | calls/TableCallStateStore.ts         | 503 StateStoreUnavailable; 400 StateStoreRejected when `rejected` | T StateStoreUnavailable; P Rejected when `rejected` |
// | ConcurrentUpdateError       | calls/mutateRow.ts                   | 503 StateStoreUnavailable     | T ConcurrentUpdate                   |
// | OpenIdConfigError           | auth/fetchOpenIdConfig.ts            | 503 (as AuthUnavailableError) | T AuthUnavailable                    |
// | InvalidEventError           | shared/eventGridEnvelope.ts          | —                             | P InvalidInput                       |
// | InvalidRecordingEventError  | archive/archiveErrors.ts             | —                             | P InvalidInput                       |
// | ArchivePlanError            | archive/archiveErrors.ts             | —                             | P ArchivePlanInvalid                 |
// | ArchiveNotVerifiedError     | archive/archiveErrors.ts             | —                             | P ArchiveNotVerified                 |
// | ArchiveStepError            | archive/archiveErrors.ts             | —                             | its cause's                          |
// | RecordingMetadataParseError | archive/parseRecordingMetadata.ts    | —                             | P InvalidInput                       |
// | ChunkLocationMismatchError  | archive/chunkLocation.ts             | —                             | P LocationMismatch / DeleteLocationMismatch |
// | DurableClientTimeoutError   | archive/startArchiveOrchestration.ts | 500 (re-drive)                | T Timeout                            |
// | TransferVerificationError   | archive/transfer/errors.ts           | —                             | P VerificationFailed                 |
// | TransferConflictError       | archive/transfer/errors.ts           | —                             | P ArchiveConflict                    |
// | ContentProofError           | archive/transfer/errors.ts           | —                             | T NotARecording / MetadataMismatch   |
// | StaleStagedPrefixError      | archive/transfer/SourceReader.ts     | —                             | T StaleStagedPrefix                  |
// | SourceTruncatedError        | archive/transfer/SourceReader.ts     | —                             | T Interrupted                        |
// | SourceStalledError          | archive/transfer/SourceReader.ts     | —                             | T Timeout                            |
// | HashThreadError             | archive/transfer/HashThread.ts       | —                             | T HashThreadFailed                   |

/** Normalizes anything thrown into an Error. */
export function ensureError(e: unknown): Error {
  if (e instanceof Error) return e;
  return new Error(typeof e === 'string' ? e : JSON.stringify(e));
}

/** `Name: message` of anything thrown, for a log line. */
export function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** The HTTP status an SDK error carries (`RestError.statusCode`, or this app's errors'), if any. */
export function statusCodeOf(e: unknown): number | undefined {
  const status = (e as { statusCode?: unknown } | null | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** An error that maps to a specific HTTP status with a JSON body `{ error: { code, message, details? } }`. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** 400: the request is malformed or fails validation. Nothing was changed. */
export class ValidationError extends HttpError {
  override name = 'ValidationError';
  constructor(message: string, details?: unknown) {
    super(400, 'BadRequest', message, details);
  }
}

/** 401: the caller is not authenticated. */
export class UnauthorizedError extends HttpError {
  override name = 'UnauthorizedError';
  constructor(message: string) {
    super(401, 'Unauthorized', message);
  }
}

/** 404: the addressed resource does not exist. */
export class NotFoundError extends HttpError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super(404, 'NotFound', message);
  }
}

export function isHttpError(e: unknown): e is HttpError {
  return e instanceof HttpError;
}

/** The JSON body of every error response. */
export function errorBody(code: string, message: string, details?: unknown): { error: { code: string; message: string; details?: unknown } } {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
