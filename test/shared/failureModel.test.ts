// The app's one failure model, table by table: every HTTP status 400–599, every network error code in the shapes the
// app meets them (Node system errors, core-rest-pipeline's RestError, fetch/undici, axios as the Durable client
// uses it, the Durable client's own messages), and every typed error the app defines — the last table is checked
// against the `class …Error` declarations in src/, so a new typed error cannot go unclassified.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHttpHeaders, createPipelineRequest, RestError, type PipelineResponse } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { AcsRequestError, DisallowedUrlError } from '../../src/acs/errors.js';
import { ArchiveNotVerifiedError, ArchivePlanError, ArchiveStepError, InvalidRecordingEventError } from '../../src/archive/archiveErrors.js';
import { InvalidEventError } from '../../src/shared/eventGridEnvelope.js';
import { RecordingMetadataParseError } from '../../src/archive/parseRecordingMetadata.js';
import { DurableClientTimeoutError } from '../../src/archive/startArchiveOrchestration.js';
import { ChunkLocationMismatchError } from '../../src/archive/chunkLocation.js';
import { ContentProofError, TransferConflictError, TransferVerificationError } from '../../src/archive/transfer/errors.js';
import { PayloadTooLargeError } from '../../src/calls/readJsonBody.js';
import { HashThreadError } from '../../src/archive/transfer/HashThread.js';
import { SourceStalledError, SourceTruncatedError, StaleStagedPrefixError } from '../../src/archive/transfer/SourceReader.js';
import { AuthUnavailableError } from '../../src/auth/AuthUnavailableError.js';
import { OpenIdConfigError } from '../../src/auth/fetchOpenIdConfig.js';
import { AcsUpstreamError } from '../../src/calls/AcsUpstreamError.js';
import { ConcurrentUpdateError } from '../../src/calls/mutateRow.js';
import { RecordingConflictError } from '../../src/calls/RecordingConflictError.js';
import { StateStoreError } from '../../src/calls/TableCallStateStore.js';
import { ConfigError } from '../../src/config.js';
import { HttpError, NotFoundError, UnauthorizedError, ValidationError } from '../../src/shared/errors.js';
import { classifyFailure, classifyStatus, isQuickRetryable, isTransient, type Failure } from '../../src/shared/failureModel.js';

const T = (code: string, retryAfterMs?: number): Failure =>
  (retryAfterMs === undefined ? { kind: 'transient', code } : { kind: 'transient', code, retryAfterMs }) as Failure;
const P = (code: string): Failure => ({ kind: 'permanent', code }) as Failure;

const acs = (status: number | undefined, code = 'HttpError', retryAfterMs?: number) =>
  new AcsRequestError('m', status, code, retryAfterMs === undefined ? undefined : { retryAfterMs });

function restError(status: number | undefined, headers: Record<string, string> = {}, code?: string): RestError {
  const request = createPipelineRequest({ url: 'https://acct.blob.core.windows.net/c/b' });
  const response: PipelineResponse | undefined = status === undefined ? undefined : { request, status, headers: createHttpHeaders(headers) };
  return new RestError('storage said no', { statusCode: status, code, request, response });
}

describe('HTTP statuses', () => {
  it.each<[number, Failure]>([
    [400, P('Rejected')],
    [401, P('Refused')],
    [403, P('Refused')],
    [404, P('Gone')],
    [405, P('Rejected')],
    [408, T('Timeout')],
    [409, P('Rejected')],
    [410, P('Gone')],
    [412, P('Rejected')],
    [413, P('Rejected')],
    [416, P('Rejected')],
    [422, P('Rejected')],
    [429, T('Throttled')],
    [451, P('Rejected')],
    [500, T('ServerError')],
    [501, P('NotSupported')],
    [502, T('Unavailable')],
    [503, T('Unavailable')],
    [504, T('Timeout')],
    [505, P('NotSupported')],
    [507, T('ServerError')],
    [511, T('ServerError')],
    [599, T('ServerError')],
  ])('%i → %o', (status, expected) => {
    expect(classifyStatus(status)).toEqual(expected);
    // The same verdict whichever layer reports the status: ACS client, Storage SDK, a plain status-carrying object.
    expect(classifyFailure(acs(status))).toEqual(expected);
    expect(classifyFailure(restError(status))).toEqual(expected);
    expect(classifyFailure({ status })).toEqual(expected);
  });

  it('every status from 400 to 599: transient exactly for 408, 429 and 5xx other than 501/505', () => {
    for (let status = 400; status <= 599; status++) {
      const transient = status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
      expect(classifyStatus(status).kind, `HTTP ${status}`).toBe(transient ? 'transient' : 'permanent');
    }
  });

  it("Storage's 400 for a block damaged on its way is transient: a resend fixes it", () => {
    expect(classifyFailure(restError(400, {}, 'Md5Mismatch'))).toEqual(T('CorruptedInTransit'));
    expect(classifyFailure(restError(400, {}, 'Crc64Mismatch'))).toEqual(T('CorruptedInTransit'));
    expect(classifyFailure(new RestError("Provided contentMD5 doesn't match.\nRequestId:x", { statusCode: 400, code: 'InvalidOperation' }))).toEqual(T('CorruptedInTransit'));
    expect(classifyFailure(restError(400, {}, 'InvalidOperation'))).toEqual(P('Rejected'));
    expect(classifyFailure(restError(400, {}, 'InvalidHeaderValue'))).toEqual(P('Rejected'));
    // The engine's own MD5 verdict on the committed copy is not a transit error.
    expect(classifyFailure(new TransferVerificationError('Md5Mismatch', 'no'))).toEqual(P('VerificationFailed'));
  });

  it('a success status reported as a failure is an unexpected response', () => {
    expect(classifyStatus(204)).toEqual(P('UnexpectedResponse'));
    expect(classifyFailure(acs(204, 'UnexpectedStatus'))).toEqual(P('UnexpectedResponse'));
    expect(classifyFailure(acs(200, 'InvalidResponse'))).toEqual(P('UnexpectedResponse'));
  });

  it('keeps the wait the service asked for on transient statuses only', () => {
    expect(classifyFailure(acs(429, 'TooManyRequests', 7000))).toEqual(T('Throttled', 7000));
    expect(classifyFailure(acs(503, 'HttpError', 2000))).toEqual(T('Unavailable', 2000));
    expect(classifyFailure(acs(404, 'NotFound', 2000))).toEqual(P('Gone'));
    expect(classifyFailure(restError(503, { 'retry-after': '3' }))).toEqual(T('Unavailable', 3000));
    expect(classifyFailure(restError(500, { 'x-ms-retry-after-ms': '250' }))).toEqual(T('ServerError', 250));
    expect(classifyFailure(new AcsUpstreamError(503, 'TooManyRequests', 'm', { acsStatus: 429 }, 5))).toEqual(T('Unavailable', 5000));
  });
});

describe('network error codes', () => {
  const network = ['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT', 'ERR_NETWORK', 'REQUEST_SEND_ERROR'];
  const timeouts = ['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT'];
  const shapes: [string, (code: string) => unknown][] = [
    ['a Node system error', (code) => Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code, errno: -1, syscall: 'connect' })],
    ['fetch: TypeError("fetch failed") with the cause', (code) => new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code }) })],
    // core-rest-pipeline's Node client: `new RestError(err.message, { code: err.code ?? REQUEST_SEND_ERROR, request })`.
    ['a RestError (core-rest-pipeline, Storage SDK)', (code) => new RestError('send failed', { code, request: createPipelineRequest({ url: 'https://x' }) })],
    ['an AxiosError (Durable client)', (code) => Object.assign(new Error('x'), { name: 'AxiosError', code, isAxiosError: true })],
    ['two causes deep', (code) => new Error('outer', { cause: new Error('middle', { cause: Object.assign(new Error('inner'), { code }) }) })],
  ];
  for (const [shape, make] of shapes) {
    it.each(network)(`${shape}: %s → transient NetworkError`, (code) => {
      expect(classifyFailure(make(code))).toEqual(T('NetworkError'));
    });
    it.each(timeouts)(`${shape}: %s → transient Timeout`, (code) => {
      expect(classifyFailure(make(code))).toEqual(T('Timeout'));
    });
  }

  it.each<[string, unknown, Failure]>([
    ['ACS NetworkError', acs(undefined, 'NetworkError'), T('NetworkError')],
    ['ACS Timeout', acs(undefined, 'Timeout'), T('Timeout')],
    ['AbortError (a per-request timeout of core-rest-pipeline or the Storage SDK)', new DOMException('The operation was aborted.', 'AbortError'), T('Aborted')],
    ['TimeoutError (AbortSignal.timeout)', new DOMException('The operation timed out.', 'TimeoutError'), T('Timeout')],
    ['Durable client: unexpected status 503', new Error('The operation failed with an unexpected status code: 503. Details: ""'), T('Unavailable')],
    ['Durable client: HTTP 404', new Error('DurableClient error: Durable Functions extension replied with HTTP 404 response. This usually means…'), P('Gone')],
    ['Durable client: empty 500', new Error('DurableClient error: the Durable Functions extension replied with an empty HTTP 500 response.'), T('ServerError')],
    ['an unknown error: transient, never given up on', new Error('boom'), T('Unknown')],
    ['a programming error', new TypeError('x is undefined'), T('Unknown')],
    ['a thrown string', 'boom', T('Unknown')],
    ['undefined', undefined, T('Unknown')],
    ['an unknown code', Object.assign(new Error('x'), { code: 'EWHATEVER' }), T('Unknown')],
  ])('%s', (_name, e, expected) => {
    expect(classifyFailure(e)).toEqual(expected);
  });
});

/** Every typed error of src/, one real instance each, with its class. */
const TYPED: [string, unknown, Failure][] = [
  ['AcsRequestError', acs(503), T('Unavailable')],
  ['DisallowedUrlError', new DisallowedUrlError('not on the allow-list'), P('DisallowedUrl')],
  ['TransferVerificationError', new TransferVerificationError('Md5Mismatch', 'no'), P('VerificationFailed')],
  ['TransferConflictError', new TransferConflictError('another source'), P('ArchiveConflict')],
  ['ArchiveNotVerifiedError', new ArchiveNotVerifiedError('changed'), P('ArchiveNotVerified')],
  ['ArchivePlanError', new ArchivePlanError('archive-x', 'missing'), P('ArchivePlanInvalid')],
  ['ArchiveStepError', new ArchiveStepError('content', acs(404, 'NotFound')), P('Gone')],
  ['InvalidRecordingEventError', new InvalidRecordingEventError('bad', 'ev-1', ['data.x: required']), P('InvalidInput')],
  ['InvalidEventError', new InvalidEventError('bad', 'ev-2', ['data.serverCallId: required']), P('InvalidInput')],
  ['RecordingMetadataParseError', new RecordingMetadataParseError('not json'), P('InvalidInput')],
  ['ConfigError', new ConfigError('ACS_MAX_RETRIES: too big'), P('Misconfigured')],
  ['HttpError', new HttpError(503, 'StateStoreUnavailable', 'later'), T('Unavailable')],
  ['ValidationError', new ValidationError('bad body'), P('InvalidInput')],
  ['UnauthorizedError', new UnauthorizedError('no token'), P('Refused')],
  ['NotFoundError', new NotFoundError('no such recording'), P('Gone')],
  ['AcsUpstreamError', new AcsUpstreamError(502, 'Denied', 'ACS refused', { acsStatus: 401 }), T('Unavailable')],
  ['RecordingConflictError', new RecordingConflictError('alreadyStarted'), P('Rejected')],
  ['AuthUnavailableError', new AuthUnavailableError('keys unreachable'), T('AuthUnavailable')],
  ['OpenIdConfigError', new OpenIdConfigError('unreachable'), T('AuthUnavailable')],
  ['StateStoreError', new StateStoreError('table down'), T('StateStoreUnavailable')],
  ['ConcurrentUpdateError', new ConcurrentUpdateError('row kept changing'), T('ConcurrentUpdate')],
  ['DurableClientTimeoutError', new DurableClientTimeoutError('getStatus did not answer'), T('Timeout')],
  ['HashThreadError', new HashThreadError('worker exited'), T('HashThreadFailed')],
  ['StaleStagedPrefixError', new StaleStagedPrefixError('other size'), T('StaleStagedPrefix')],
  ['SourceTruncatedError', new SourceTruncatedError('ended early'), T('Interrupted')],
  ['SourceStalledError', new SourceStalledError('silent'), T('Timeout')],
  ['ContentProofError', new ContentProofError('NotARecording', 'an HTML page'), T('NotARecording')],
  ['ChunkLocationMismatchError', new ChunkLocationMismatchError('contentLocation', 'doc-1'), P('LocationMismatch')],
  ['PayloadTooLargeError', new PayloadTooLargeError(2_000_000), P('Rejected')],
];

/** Declared in src/ but never seen outside their module, so never classified. */
const INTERNAL = new Map([['SinkError', 'SourceReader unwraps it (its cause is rethrown) before anything can see it']]);

describe('typed errors of the app', () => {
  it.each(TYPED)('%s', (_name, e, expected) => {
    expect(classifyFailure(e)).toEqual(expected);
    expect(isTransient(e)).toBe(expected.kind === 'transient');
  });

  it('issue 16: a refused value is permanent, a wrong 200 transient with its code, a deleteLocation mismatch permanent', () => {
    expect(classifyFailure(new StateStoreError('value too large', { statusCode: 400 }))).toEqual(P('Rejected'));
    expect(classifyFailure(new StateStoreError('value too large', { statusCode: 413 }))).toEqual(P('Rejected'));
    expect(classifyFailure(new StateStoreError('down', { statusCode: 503 }))).toEqual(T('StateStoreUnavailable'));
    expect(classifyFailure(new ContentProofError('MetadataMismatch', 'another chunk'))).toEqual(T('MetadataMismatch'));
    expect(classifyFailure(new ArchiveStepError('content', new ContentProofError('NotARecording', 'empty')))).toEqual(T('NotARecording'));
    expect(classifyFailure(new ChunkLocationMismatchError('deleteLocation', 'doc-1'))).toEqual(P('DeleteLocationMismatch'));
  });

  it('an error from another realm (a worker thread, a second copy of a module) is recognised by its name', () => {
    expect(classifyFailure(Object.assign(new Error('m'), { name: 'TransferVerificationError', code: 'SizeMismatch' }))).toEqual(P('VerificationFailed'));
    expect(classifyFailure(Object.assign(new Error('m'), { name: 'AcsRequestError', statusCode: 410, code: 'Gone' }))).toEqual(P('Gone'));
  });

  it('covers every `class …Error` declared in src/', () => {
    const declared = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts')) for (const m of readFileSync(path, 'utf8').matchAll(/\bclass (\w+Error)\b/g)) declared.add(m[1]!);
      }
    };
    walk(join(import.meta.dirname, '../../src'));
    const covered = new Set([...TYPED.map(([name]) => name), ...INTERNAL.keys()]);
    expect([...declared].filter((name) => !covered.has(name)).sort()).toEqual([]);
    // Each instance really is of the class its row names.
    for (const [name, e] of TYPED) expect((e as Error).name, name).toBe(name);
  });
});

describe('isQuickRetryable: what a retry inside one request or activity may take on', () => {
  it.each<[string, Failure, boolean]>([
    ['503', T('Unavailable'), true],
    ['429 asking for 30 s', T('Throttled', 30_000), true],
    ['429 asking for an hour: left to the orchestration', T('Throttled', 3_600_000), false],
    ['an unknown error: left to the caller', T('Unknown'), false],
    ['404', P('Gone'), false],
  ])('%s', (_name, failure, expected) => {
    expect(isQuickRetryable(failure)).toBe(expected);
  });
});
