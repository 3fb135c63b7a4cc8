// The app's one failure model: every failure it can meet (ACS REST and media, Blob and Table Storage, the Durable
// client, the network, the app's own validation and verification errors) is either `transient` (worth trying again,
// with the wait the service asked for, if any) or `permanent` (no retry can fix it), with a stable code. Every retry
// decision in the app (the ACS pipeline, the transfer engine's resumes, the callback's redelivery, the archive's
// permanent/transient split) asks this module and nothing else.
//
// Statuses: 408, 429 and 5xx are transient, except 501 and 505, which are PERMANENT for every layer. Both say
// something about the request, not about the server's health (RFC 9110 §15.6.2 "does not support the functionality
// required", §15.6.6 "does not support the HTTP version"), and every retry layer we do not own already treats them
// as final (core-rest-pipeline's exponential strategy; the Storage SDK retries only 500, 503 and network errors), so
// calling them transient here would make the stack disagree with itself again. Giving up is not losing: a permanent
// archive failure keeps the source, is recorded and logged, and can be re-driven.
// 404/410 are `Gone`, 401/403 `Refused`, any other 4xx `Rejected` — except Storage's 400 `Md5Mismatch` /
// `Crc64Mismatch`, a request body damaged on its way, which a resend fixes.
//
// Errors are recognised by their `name` (every typed error of the app declares one), so this module imports none of
// them and the ACS, archive and call modules can all depend on it without a cycle.
import { parseRetryAfterMs } from '../acs/parseRetryAfterMs.js';
import { durableClientStatus } from './durableClientErrors.js';

/** Codes of failures worth another attempt. */
export type TransientCode =
  /** 429. */
  | 'Throttled'
  /** 408, 504, a per-request timeout, a silent body, the Durable client not answering in time. */
  | 'Timeout'
  /** 502, 503. */
  | 'Unavailable'
  /** 500 and the other 5xx (except 501/505). */
  | 'ServerError'
  /** A connection refused, reset or broken; a name that did not resolve. */
  | 'NetworkError'
  /** A body that ended before its announced length. */
  | 'Interrupted'
  /** Storage refused a block whose bytes were damaged on the way (400 `Md5Mismatch`/`Crc64Mismatch`): resend it. */
  | 'CorruptedInTransit'
  /** An abort that was not the caller's own (core-rest-pipeline reports its per-request timeout so). */
  | 'Aborted'
  /** The call-state table could not be read or written. */
  | 'StateStoreUnavailable'
  /** A state-table row kept changing under a conditional write. */
  | 'ConcurrentUpdate'
  /** The OpenID configuration or signing keys for callback JWTs could not be fetched. */
  | 'AuthUnavailable'
  /** The transfer engine's hash thread died. */
  | 'HashThreadFailed'
  /** Staged blocks belong to another version of the source; the next call starts from zero. */
  | 'StaleStagedPrefix'
  /** The media served is not a recording of the event's format (`ContentProofError`): something answered wrongly. */
  | 'NotARecording'
  /** The metadata document served is not this chunk's (`ContentProofError`). */
  | 'MetadataMismatch'
  /** Nothing recognisable: retried, because giving up on an unknown failure could lose a recording. */
  | 'Unknown';

/** Codes of failures no retry can fix. */
export type PermanentCode =
  /** 404, 410: the resource (a recording file: ACS keeps them about 24 h) no longer exists. */
  | 'Gone'
  /** 401, 403: the credential or role was refused. */
  | 'Refused'
  /** Any other 4xx. */
  | 'Rejected'
  /** 501, 505. */
  | 'NotSupported'
  /** A success status or body the operation does not define. */
  | 'UnexpectedResponse'
  /** A URL outside `ACS_MEDIA_ALLOWED_ORIGINS`: no request was made. */
  | 'DisallowedUrl'
  /** Input that failed validation (an event, a request body, a metadata document). */
  | 'InvalidInput'
  /** A setting is missing or invalid. */
  | 'Misconfigured'
  /** The archive plan is missing, malformed or not the plan of its id. */
  | 'ArchivePlanInvalid'
  /** The copy could not be verified (size, MD5, offsets): nothing was committed. */
  | 'VerificationFailed'
  /** The blob already holds a verified archive of other content. */
  | 'ArchiveConflict'
  /** An archived blob no longer matches what was verified: the source is not deleted. */
  | 'ArchiveNotVerified'
  /** A content or metadata location that does not name its chunk's documentId: nothing was downloaded. */
  | 'LocationMismatch'
  /** A deleteLocation that does not name its chunk's documentId: it is never called, the source is kept. */
  | 'DeleteLocationMismatch';

export type TransientFailure = { kind: 'transient'; code: TransientCode; retryAfterMs?: number };
export type PermanentFailure = { kind: 'permanent'; code: PermanentCode };
export type Failure = TransientFailure | PermanentFailure;

/**
 * The longest server-requested wait honoured by a quick retry, inside one request or one activity. A longer
 * `Retry-After` ends the quick retries and surfaces as the failure's `retryAfterMs`, so the orchestration (the owner
 * of every longer retry) waits for it on a durable timer.
 */
export const MAX_QUICK_RETRY_AFTER_MS = 60_000;

/** Node system error codes, undici's and axios's codes, and core-rest-pipeline's, of a failed connection. */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT',
  'ERR_NETWORK',
  'REQUEST_SEND_ERROR',
]);

/** Error codes of a timed-out connection or request. */
export const TIMEOUT_ERROR_CODES: ReadonlySet<string> = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

const transient = (code: TransientCode, retryAfterMs?: number): TransientFailure =>
  retryAfterMs === undefined ? { kind: 'transient', code } : { kind: 'transient', code, retryAfterMs };
const permanent = (code: PermanentCode): PermanentFailure => ({ kind: 'permanent', code });

/** The class of an HTTP status that was reported as a failure (a 1xx–3xx there is an unexpected response). */
export function classifyStatus(status: number, retryAfterMs?: number): Failure {
  if (status === 429) return transient('Throttled', retryAfterMs);
  if (status === 408 || status === 504) return transient('Timeout', retryAfterMs);
  if (status === 502 || status === 503) return transient('Unavailable', retryAfterMs);
  if (status === 501 || status === 505) return permanent('NotSupported');
  if (status >= 500 && status <= 599) return transient('ServerError', retryAfterMs);
  if (status === 404 || status === 410) return permanent('Gone');
  if (status === 401 || status === 403) return permanent('Refused');
  if (status >= 400 && status <= 499) return permanent('Rejected');
  return permanent('UnexpectedResponse');
}

type Fields = {
  name?: unknown;
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  retryAfterMs?: unknown;
  retryAfterSeconds?: unknown;
  message?: unknown;
  cause?: unknown;
  field?: unknown;
  rejected?: unknown;
  response?: { status?: unknown; headers?: unknown };
};

/** The app's typed errors, by name; `undefined` means "look at the status and cause instead". */
const BY_NAME: Readonly<Record<string, (e: Fields) => Failure | undefined>> = {
  AcsRequestError: (e) => {
    if (e.code === 'UnexpectedStatus' || e.code === 'InvalidResponse') return permanent('UnexpectedResponse');
    if (typeof e.statusCode === 'number') return undefined;
    return transient(e.code === 'Timeout' ? 'Timeout' : 'NetworkError');
  },
  DisallowedUrlError: () => permanent('DisallowedUrl'),
  TransferVerificationError: () => permanent('VerificationFailed'),
  TransferConflictError: () => permanent('ArchiveConflict'),
  ArchiveNotVerifiedError: () => permanent('ArchiveNotVerified'),
  ArchivePlanError: () => permanent('ArchivePlanInvalid'),
  ChunkLocationMismatchError: (e) => permanent(e.field === 'deleteLocation' ? 'DeleteLocationMismatch' : 'LocationMismatch'),
  InvalidRecordingEventError: () => permanent('InvalidInput'),
  InvalidEventError: () => permanent('InvalidInput'),
  ValidationError: () => permanent('InvalidInput'),
  RecordingMetadataParseError: () => permanent('InvalidInput'),
  ConfigError: () => permanent('Misconfigured'),
  // The table refusing the values themselves (400/413: a property too large) gets the same answer on every retry.
  StateStoreError: (e) => (e.rejected === true ? permanent('Rejected') : transient('StateStoreUnavailable')),
  ConcurrentUpdateError: () => transient('ConcurrentUpdate'),
  AuthUnavailableError: () => transient('AuthUnavailable'),
  OpenIdConfigError: () => transient('AuthUnavailable'),
  DurableClientTimeoutError: () => transient('Timeout'),
  HashThreadError: () => transient('HashThreadFailed'),
  StaleStagedPrefixError: () => transient('StaleStagedPrefix'),
  // The bytes served were not the file (a proxy's page, another document): retried until the deadline.
  ContentProofError: (e) => transient(e.code === 'MetadataMismatch' ? 'MetadataMismatch' : 'NotARecording'),
  SourceTruncatedError: () => transient('Interrupted'),
  SourceStalledError: () => transient('Timeout'),
  TimeoutError: () => transient('Timeout'),
  AbortError: () => transient('Aborted'),
  // A wrapper naming the archive step: what counts is what it wraps.
  ArchiveStepError: (e) => classifyFailure(e.cause),
};

/** `statusCode` (RestError, AcsRequestError), `status` (HttpError, fetch-like), `response.status` (axios). */
function statusOf(e: Fields): number | undefined {
  for (const s of [e.statusCode, e.status, e.response?.status]) if (typeof s === 'number' && Number.isInteger(s)) return s;
  return undefined;
}

function retryAfterOf(e: Fields): number | undefined {
  if (typeof e.retryAfterMs === 'number') return e.retryAfterMs;
  if (typeof e.retryAfterSeconds === 'number') return e.retryAfterSeconds * 1000;
  const headers = e.response?.headers as { get?: unknown } | undefined;
  if (typeof headers?.get === 'function') return parseRetryAfterMs(headers as { get(name: string): string | undefined });
  return undefined;
}

/** Storage's answer to a request body that does not match its transactional checksum. */
const CORRUPTED_IN_TRANSIT_CODES: ReadonlySet<string> = new Set(['Md5Mismatch', 'Crc64Mismatch']);
/** Azurite (3.35) says the same as 400 `InvalidOperation` with this message. */
const AZURITE_MD5_MISMATCH = /^Provided contentMD5 doesn't match\./;

function isCorruptedInTransit(f: Fields): boolean {
  if (typeof f.code !== 'string') return false;
  return CORRUPTED_IN_TRANSIT_CODES.has(f.code) || (f.code === 'InvalidOperation' && typeof f.message === 'string' && AZURITE_MD5_MISMATCH.test(f.message));
}

const MAX_CAUSE_DEPTH = 5;

/**
 * Classifies anything thrown.
 *
 * @example classifyFailure(new AcsRequestError('busy', 503, 'HttpError', { retryAfterMs: 2000 }))
 *          // { kind: 'transient', code: 'Unavailable', retryAfterMs: 2000 }
 */
export function classifyFailure(e: unknown): Failure {
  return classifyAt(e, 0) ?? transient('Unknown');
}

function classifyAt(e: unknown, depth: number): Failure | undefined {
  if (typeof e !== 'object' || e === null || depth > MAX_CAUSE_DEPTH) return undefined;
  const f = e as Fields;
  const byName = typeof f.name === 'string' && Object.hasOwn(BY_NAME, f.name) ? BY_NAME[f.name]!(f) : undefined;
  if (byName) return byName;
  const status = statusOf(f);
  if (status === 400 && isCorruptedInTransit(f)) return transient('CorruptedInTransit');
  if (status !== undefined) return classifyStatus(status, retryAfterOf(f));
  if (typeof f.code === 'string') {
    if (NETWORK_ERROR_CODES.has(f.code)) return transient('NetworkError');
    if (TIMEOUT_ERROR_CODES.has(f.code)) return transient('Timeout');
  }
  // The Durable client reports HTTP failures only in its messages (durableClientErrors.ts says why).
  const durableStatus = durableClientStatus(f);
  if (durableStatus !== undefined) return classifyStatus(durableStatus);
  // fetch's `TypeError: fetch failed`, RestError's REQUEST_SEND_ERROR…: the reason is in the cause.
  return classifyAt(f.cause, depth + 1);
}

/** True when a retry may succeed. */
export function isTransient(e: unknown): boolean {
  return classifyFailure(e).kind === 'transient';
}

/**
 * Whether a quick retry (inside one request or one activity) is worth it: a transient failure of a known kind
 * (an unrecognised failure, such as a programming error, is left to the caller's layer) that asks for no wait
 * longer than {@link MAX_QUICK_RETRY_AFTER_MS}.
 */
export function isQuickRetryable(failure: Failure, maxRetryAfterMs = MAX_QUICK_RETRY_AFTER_MS): failure is TransientFailure {
  if (failure.kind !== 'transient' || failure.code === 'Unknown') return false;
  return failure.retryAfterMs === undefined || failure.retryAfterMs <= maxRetryAfterMs;
}
