// The pipeline's effectful side: the retry loop under a fake clock, re-signing per attempt, idempotency headers
// reused, per-attempt logs, error mapping after retries, and a real per-request timeout against a silent socket.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AcsRequestError, isAcsRequestError } from '../../src/acs/errors.js';
import { RestAcsRecordingClient } from '../../src/acs/RestAcsRecordingClient.js';
import type { LogFields, Logger } from '../../src/shared/logging.js';
import { captureHttpClient, json } from './support/captureHttpClient.js';

const ACS = { kind: 'connectionString', endpoint: 'https://myacs.communication.azure.com', accessKey: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=' } as const;
const START = { target: { serverCallId: 'c2VydmVyQ2FsbA==' }, content: 'audio', channel: 'mixed', format: 'wav' } as const;
const STATE = json(200, { recordingId: 'cmVj/Ky==', recordingState: 'inactive', recordingKind: 'azureCommunicationServices' });

function recordingLogger(): Logger & { lines: { level: string; message: string; fields: LogFields }[] } {
  const lines: { level: string; message: string; fields: LogFields }[] = [];
  const make = (base: LogFields): Logger => ({
    info: (message, fields) => lines.push({ level: 'info', message, fields: { ...base, ...fields } }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields: { ...base, ...fields } }),
    error: (message, fields) => lines.push({ level: 'error', message, fields: { ...base, ...fields } }),
    with: (fields) => make({ ...base, ...fields }),
  });
  return Object.assign(make({}), { lines });
}

/** Runs `promise` to completion while advancing fake time. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  const settled = promise.then(
    (v) => ({ ok: true as const, v }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  await vi.runAllTimersAsync();
  const r = await settled;
  if (!r.ok) throw r.e;
  return r.v;
}

describe('retries', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits exactly Retry-After on 429, re-signs the retry, and reuses the repeatability headers', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const http = captureHttpClient(json(429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'retry-after': '3' }), STATE);
    const client = new RestAcsRecordingClient(ACS, { httpClient: http });

    const result = await settle(client.startRecording(START));

    expect(result).toEqual({ recordingId: 'cmVj/Ky==', recordingState: 'inactive', recordingKind: 'azureCommunicationServices' });
    const [first, second] = http.requests;
    expect(http.requests).toHaveLength(2);
    expect(second!.at - first!.at).toBe(3000);
    expect(second!.headers['repeatability-request-id']).toBe(first!.headers['repeatability-request-id']);
    expect(second!.headers['repeatability-first-sent']).toBe(first!.headers['repeatability-first-sent']);
    expect(first!.headers['repeatability-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // Signing runs after Retry: the retry carries a fresh date and therefore a different signature.
    expect(second!.headers['x-ms-date']).not.toBe(first!.headers['x-ms-date']);
    expect(second!.headers.authorization).not.toBe(first!.headers.authorization);
    expect(second!.headers['x-ms-client-request-id']).toBe(first!.headers['x-ms-client-request-id']);
  });

  it('stops after maxRetries and throws the last failure as AcsRequestError', async () => {
    vi.useFakeTimers();
    const http = captureHttpClient(json(503, { error: { code: 'ServiceUnavailable', message: 'busy' } }));
    const client = new RestAcsRecordingClient(ACS, { httpClient: http, maxRetries: 2 });

    const error = await settle(client.getRecordingState('cmVj/Ky==')).catch((e: unknown) => e);

    expect(http.requests).toHaveLength(3);
    expect(isAcsRequestError(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 503, code: 'ServiceUnavailable', message: 'busy' });
  });

  it('retries network errors, then succeeds', async () => {
    vi.useFakeTimers();
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const http = captureHttpClient(reset, reset, STATE);
    const result = await settle(new RestAcsRecordingClient(ACS, { httpClient: http }).getRecordingState('cmVj/Ky=='));
    expect(result.recordingState).toBe('inactive');
    expect(http.requests).toHaveLength(3);
  });

  it('maps an exhausted network failure to NetworkError and does not retry 400', async () => {
    vi.useFakeTimers();
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const down = captureHttpClient(refused);
    const e1 = await settle(new RestAcsRecordingClient(ACS, { httpClient: down, maxRetries: 1 }).stopRecording('x')).catch((e: unknown) => e);
    expect(e1).toMatchObject({ name: 'AcsRequestError', code: 'NetworkError', statusCode: undefined });
    expect((e1 as AcsRequestError).cause).toBe(refused);
    expect(down.requests).toHaveLength(2);

    const bad = captureHttpClient(json(400, { error: { code: 'BadRequest', message: 'nope' } }));
    const e2 = await settle(new RestAcsRecordingClient(ACS, { httpClient: bad }).pauseRecording('x')).catch((e: unknown) => e);
    expect(e2).toMatchObject({ statusCode: 400, code: 'BadRequest' });
    expect(bad.requests).toHaveLength(1);
  });

  it('the caller abort during a backoff ends with AbortError, not AcsRequestError', async () => {
    vi.useFakeTimers();
    const http = captureHttpClient(json(500, {}));
    const controller = new AbortController();
    const pending = new RestAcsRecordingClient(ACS, { httpClient: http }).getRecordingState('x', { abortSignal: controller.signal });
    const settledPending = pending.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    const error = await settledPending;
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(http.requests).toHaveLength(1);
  });
});

describe('operations and logs', () => {
  it('logs every attempt with method, redacted URL, status, attempt and the call identifiers', async () => {
    const logger = recordingLogger();
    const http = captureHttpClient(json(502, {}), { status: 202 });
    const client = new RestAcsRecordingClient(ACS, { httpClient: http, logger, retryDelayMs: 1 });

    await client.pauseRecording('cmVj/Ky+=', { correlationId: 'corr-1', serverCallId: 'srv-1' });

    expect(http.requests[1]?.url).toBe('https://myacs.communication.azure.com/calling/recordings/cmVj%2FKy%2B%3D:pause?api-version=2026-03-12');
    const attempts = logger.lines.filter((l) => l.message.startsWith('ACS request attempt'));
    expect(attempts.map((l) => [l.level, l.fields.status, l.fields.attempt])).toEqual([
      ['warn', 502, 1],
      ['info', 202, 2],
    ]);
    expect(attempts[1]?.fields).toMatchObject({
      method: 'POST',
      url: 'https://myacs.communication.azure.com/calling/recordings/cmVj%2FKy%2B%3D:pause?api-version=***',
      correlationId: 'corr-1',
      serverCallId: 'srv-1',
      recordingId: 'cmVj/Ky+=',
      operation: 'pauseRecording',
    });
    expect(JSON.stringify(logger.lines)).not.toMatch(/HMAC-SHA256|Signature=/);
  });

  it('uses the documented method, path and success status for each operation', async () => {
    const http = captureHttpClient(STATE, STATE, { status: 202 }, { status: 202 }, { status: 204 });
    const client = new RestAcsRecordingClient(ACS, { httpClient: http, apiVersion: '2025-06-15' });
    await client.startRecording({ ...START, target: { callConnectionId: 'conn-1' }, pauseOnStart: true });
    await client.getRecordingState('a/b+c=');
    await client.pauseRecording('a/b+c=');
    await client.resumeRecording('a/b+c=');
    await client.stopRecording('a/b+c=');
    expect(http.requests.map((r) => `${r.method} ${r.url.replace('https://myacs.communication.azure.com', '')}`)).toEqual([
      'POST /calling/recordings?api-version=2025-06-15',
      'GET /calling/recordings/a%2Fb%2Bc%3D?api-version=2025-06-15',
      'POST /calling/recordings/a%2Fb%2Bc%3D:pause?api-version=2025-06-15',
      'POST /calling/recordings/a%2Fb%2Bc%3D:resume?api-version=2025-06-15',
      'DELETE /calling/recordings/a%2Fb%2Bc%3D?api-version=2025-06-15',
    ]);
    expect(JSON.parse(http.requests[0]!.body!)).toEqual({
      callConnectionId: 'conn-1',
      recordingContentType: 'audio',
      recordingChannelType: 'mixed',
      recordingFormatType: 'wav',
      pauseOnStart: true,
    });
    expect(http.requests.slice(1).every((r) => r.body === undefined && r.headers['repeatability-request-id'] === undefined)).toBe(true);
    expect(http.requests.every((r) => r.timeout === 30_000)).toBe(true);
  });

  it('accepts 202 for start; rejects an undocumented 2xx and a malformed body with typed errors', async () => {
    const accepted = captureHttpClient({ ...STATE, status: 202 });
    await expect(new RestAcsRecordingClient(ACS, { httpClient: accepted }).startRecording(START)).resolves.toMatchObject({ recordingState: 'inactive' });

    const odd = captureHttpClient({ status: 200 });
    await expect(new RestAcsRecordingClient(ACS, { httpClient: odd }).stopRecording('x')).rejects.toMatchObject({
      statusCode: 200,
      code: 'UnexpectedStatus',
    });
    const garbage = captureHttpClient({ status: 200, body: '<html>hi</html>' });
    await expect(new RestAcsRecordingClient(ACS, { httpClient: garbage }).getRecordingState('x')).rejects.toMatchObject({
      code: 'InvalidResponse',
    });
  });
});

describe('per-request timeout (real socket that never answers)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  it('aborts each attempt after timeoutMs, retries, then throws code Timeout', async () => {
    let received = 0;
    server = createServer(() => {
      received++; // never respond
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const client = new RestAcsRecordingClient({ ...ACS, endpoint: `http://127.0.0.1:${port}` }, { timeoutMs: 150, maxRetries: 1, retryDelayMs: 1 });

    const error = await client.getRecordingState('x').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AcsRequestError);
    expect(error).toMatchObject({ code: 'Timeout', statusCode: undefined, message: 'ACS request timed out after 150 ms' });
    expect(received).toBe(2);
  });
});
