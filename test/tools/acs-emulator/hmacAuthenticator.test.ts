// HMAC verification: the reference test vectors through the authenticator, then real signed requests over HTTP
// (signed by @azure/communication-common's policy), accepted and rejected in the service's shapes.
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyHmacRequest, type HmacVerificationInput } from '../../../tools/acs-emulator/auth/hmacAuthenticator.js';
import { startAcsEmulator, type AcsEmulator } from '../../../tools/acs-emulator/index.js';
import { sendSigned } from '../../../tools/acs-emulator/control/signedClient.js';

// Reference §2.3.
const KEY = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
const DATE = 'Tue, 12 Oct 2021 00:00:36 GMT';
const EMPTY_HASH = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
const BODY_B =
  '{"callLocator":{"serverCallId":"aHR0cHM6Ly9hcGk/aT0x","kind":"serverCallLocator"},"recordingContentType":"audio","recordingChannelType":"mixed","recordingFormatType":"wav"}';
const VECTORS = [
  { name: 'GET recording', method: 'GET', path: '/calling/recordings/eyJhIjoiYiJ9%3D%3D?api-version=2026-03-12', host: 'myacs.communication.azure.com', body: '', sig: 'GqfGY6SkUCAFwMnfcN2AuJemFIZRyd9lRdebvTl6Ot8=' },
  { name: 'POST start', method: 'POST', path: '/calling/recordings?api-version=2026-03-12', host: 'myacs.communication.azure.com', body: BODY_B, sig: 'vuIvsoBtpcJxV9prJxeekxeYL/LeKB0hxdTj+K5SZRQ=' },
  { name: 'POST start to loopback', method: 'POST', path: '/calling/recordings?api-version=2026-03-12', host: '127.0.0.1:8123', body: BODY_B, sig: 'h5PISDyAZOh1+Pcai/Qp6O2+poa8hjhx02jOyFAhxRg=' },
  { name: 'download (x-ms-host)', method: 'GET', path: '/v1/objects/0-eus-d1-abc/content/audio', host: 'myacs.communication.azure.com', body: '', sig: 'HjsrvorNdUXVhU4PsFj7k4gen0iUiWRE8/3RnqoVMr0=', viaMsHost: true },
];

function vectorInput(v: (typeof VECTORS)[number], overrides: Partial<HmacVerificationInput> = {}): HmacVerificationInput {
  const contentHash = createHash('sha256').update(v.body).digest('base64');
  const headers: Record<string, string> = {
    'x-ms-date': DATE,
    'x-ms-content-sha256': contentHash,
    authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${v.sig}`,
    host: v.viaMsHost ? 'eus.storage.asm.skype.com' : v.host,
  };
  if (v.viaMsHost) headers['x-ms-host'] = v.host;
  return {
    method: v.method,
    signedPathAndQuery: v.path,
    headers,
    body: Buffer.from(v.body),
    accessKey: KEY,
    maxClockSkewMs: 60_000,
    now: new Date(DATE),
    ...overrides,
  };
}

describe('verifyHmacRequest with the reference vectors', () => {
  it.each(VECTORS)('accepts $name', (v) => {
    if (v.body === '') expect(createHash('sha256').update('').digest('base64')).toBe(EMPTY_HASH);
    expect(verifyHmacRequest(vectorInput(v))).toEqual({ ok: true });
  });

  it.each(VECTORS)('rejects $name with another key, path, body, host or date', (v) => {
    const other = 'YW5vdGhlciBrZXkgb2YgMzIgYnl0ZXMgbG9uZyEhISE=';
    expect(verifyHmacRequest(vectorInput(v, { accessKey: other }))).toMatchObject({ ok: false, reason: 'signature mismatch' });
    expect(verifyHmacRequest(vectorInput(v, { signedPathAndQuery: `${v.path}x` }))).toMatchObject({ ok: false });
    expect(verifyHmacRequest(vectorInput(v, { body: Buffer.from(`${v.body} `) }))).toMatchObject({ ok: false, reason: 'x-ms-content-sha256 does not match the body' });
    const wrongHost = vectorInput(v);
    wrongHost.headers = { ...wrongHost.headers, [v.viaMsHost ? 'x-ms-host' : 'host']: 'evil.example.com' };
    expect(verifyHmacRequest(wrongHost)).toMatchObject({ ok: false, reason: 'signature mismatch' });
    expect(verifyHmacRequest(vectorInput(v, { now: new Date(Date.parse(DATE) + 61_000) }))).toMatchObject({ ok: false, reason: 'x-ms-date outside the allowed clock skew' });
  });

  it('fails closed on missing or foreign authorization schemes', () => {
    const v = VECTORS[0]!;
    const bearer = vectorInput(v);
    bearer.headers = { ...bearer.headers, authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig' };
    expect(verifyHmacRequest(bearer).ok).toBe(false);
    const none = vectorInput(v);
    none.headers = { ...none.headers, authorization: undefined };
    expect(verifyHmacRequest(none).ok).toBe(false);
    const partial = vectorInput(v);
    partial.headers = { ...partial.headers, authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host&Signature=${v.sig}` };
    expect(verifyHmacRequest(partial)).toMatchObject({ ok: false, reason: 'SignedHeaders lacks x-ms-content-sha256' });
  });
});

describe('HMAC over real HTTP', () => {
  let acs: AcsEmulator;
  let base: string;

  beforeAll(async () => {
    acs = await startAcsEmulator({ accessKey: KEY });
    base = acs.endpoint.replace(/\/$/, '');
  });
  afterAll(() => acs.close());

  const startBody = JSON.stringify({ callLocator: { kind: 'serverCallLocator', serverCallId: 'aHR0cHM6Ly9hcGk/aT0x' }, recordingContentType: 'audio', recordingChannelType: 'mixed', recordingFormatType: 'wav' });

  it('accepts requests signed by createCommunicationAuthPolicy', async () => {
    const start = await sendSigned(KEY, { method: 'POST', url: `${base}/calling/recordings?api-version=2026-03-12`, body: startBody, headers: { 'content-type': 'application/json' } });
    expect(start.status).toBe(200);
    const { recordingId } = start.json() as { recordingId: string };
    const get = await sendSigned(KEY, { method: 'GET', url: `${base}/calling/recordings/${encodeURIComponent(recordingId)}?api-version=2026-03-12` });
    expect(get.status).toBe(200);
    expect(acs.requests.slice(-2).map((r) => [r.operation, r.authenticated, r.status])).toEqual([
      ['startRecording', true, 200],
      ['getRecording', true, 200],
    ]);
  });

  it('answers 401 Denied for a wrong key', async () => {
    const res = await sendSigned('d3Jvbmcga2V5IHdyb25nIGtleSB3cm9uZyBrZXkhIQ==', { method: 'POST', url: `${base}/calling/recordings?api-version=2026-03-12`, body: startBody });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'Denied', message: 'Denied by the resource provider.' } });
    expect(acs.requests.at(-1)).toMatchObject({ authenticated: false, status: 401, operation: 'startRecording' });
  });

  it('answers 401 for a body changed after signing', async () => {
    const res = await sendSigned(KEY, {
      method: 'POST',
      url: `${base}/calling/recordings?api-version=2026-03-12`,
      body: startBody,
      tamper: (r) => {
        r.body = startBody.replace('wav', 'mp3');
      },
    });
    expect(res.status).toBe(401);
    expect(res.headers['x-emulator-auth-failure']).toBe('x-ms-content-sha256 does not match the body');
  });

  it('answers 401 for a request that arrives with another Host than was signed', async () => {
    const res = await sendSigned(KEY, {
      method: 'GET',
      url: `${base}/calling/recordings/abc?api-version=2026-03-12`,
      tamper: (r) => r.headers.set('Host', 'myacs.communication.azure.com'),
    });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'Denied', message: 'Denied by the resource provider.' } });
  });

  it('answers 401 for a stale x-ms-date, and accepts an exact replay of a fresh one', async () => {
    const send = async (date: string) => {
      const path = '/calling/recordings/abc?api-version=2026-03-12';
      const contentHash = createHash('sha256').update('').digest('base64');
      const host = new URL(acs.endpoint).host;
      const sig = createHmac('sha256', Buffer.from(KEY, 'base64')).update(`GET\n${path}\n${date};${host};${contentHash}`).digest('base64');
      return fetch(`${base}${path}`, {
        headers: { 'x-ms-date': date, 'x-ms-content-sha256': contentHash, authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${sig}` },
      });
    };
    const stale = await send(new Date(Date.now() - 16 * 60_000).toUTCString());
    expect(stale.status).toBe(401);
    expect(stale.headers.get('x-emulator-auth-failure')).toBe('x-ms-date outside the allowed clock skew');
    const fresh = new Date().toUTCString();
    expect((await send(fresh)).status).toBe(404); // authenticated; the recording does not exist
    expect((await send(fresh)).status).toBe(404); // replays are not rejected (pipeline retries reuse signatures)
  });

  it('refuses bearer tokens and unsigned requests', async () => {
    const bearer = await fetch(`${base}/calling/recordings/abc?api-version=2026-03-12`, { headers: { authorization: 'Bearer anything' } });
    expect(bearer.status).toBe(401);
    expect(await bearer.json()).toEqual({ error: { code: 'Denied', message: 'Denied by the resource provider.' } });
    expect((await fetch(`${base}/calling/recordings?api-version=2026-03-12`, { method: 'POST', body: startBody })).status).toBe(401);
  });

  describe('media requests (signed for the ACS host and storage pathname, sent with x-ms-host)', () => {
    let contentPath: string;
    beforeAll(() => {
      const rec = acs.createRecordingWithFiles({ chunks: [1000] });
      contentPath = new URL(rec.chunks[0]!.contentLocation).pathname;
    });

    const mediaRequest = (signedUrl: string, sendTo: string, msHost: string) =>
      sendSigned(KEY, { method: 'GET', url: signedUrl, sendTo, headers: { 'x-ms-host': msHost, OriginalUrl: sendTo, accept: 'application/json' } });

    it('verifies with host = x-ms-host and the pathname only (the query is not signed)', async () => {
      const acsHost = 'myacs.unitedstates.communication.azure.com';
      const res = await mediaRequest(`https://${acsHost}${contentPath}`, `${base}${contentPath}?foo=bar`, acsHost);
      expect(res.status).toBe(200);
      expect(acs.requests.at(-1)).toMatchObject({ operation: 'downloadContent', authenticated: true, xMsHost: acsHost, path: `${contentPath}?foo=bar` });
    });

    it('answers 401 in the AMS problem-details shape when x-ms-host is not what was signed', async () => {
      const res = await mediaRequest(`https://myacs.communication.azure.com${contentPath}`, `${base}${contentPath}`, 'other.communication.azure.com');
      expect(res.status).toBe(401);
      const body = res.json() as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['instance', 'message', 'status', 'title', 'traceId']);
      expect(body).toMatchObject({ title: 'Unauthorized', status: 401, message: 'Unauthorized' });
    });

    it('answers 401 when the client signed the query too', async () => {
      const acsHost = 'myacs.communication.azure.com';
      const res = await mediaRequest(`https://${acsHost}${contentPath}?foo=bar`, `${base}${contentPath}?foo=bar`, acsHost);
      expect(res.status).toBe(401);
    });
  });
});
