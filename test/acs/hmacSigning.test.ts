// The HMAC test vectors of reference §2.3, pushed through our real pipeline (signing in the "Sign" phase) with a
// fixed clock; the transport is a capture HttpClient, so what is asserted is exactly what would go on the wire.
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { RestAcsMediaClient } from '../../src/acs/RestAcsMediaClient.js';
import { RestAcsRecordingClient } from '../../src/acs/RestAcsRecordingClient.js';
import { ACS_TOKEN_SCOPE } from '../../src/acs/policies/acsAuthPolicy.js';
import { captureHttpClient, json } from './support/captureHttpClient.js';

const KEY = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
const DATE = 'Tue, 12 Oct 2021 00:00:36 GMT';
const EMPTY_SHA = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
const BODY_B =
  '{"callLocator":{"serverCallId":"aHR0cHM6Ly9hcGk/aT0x","kind":"serverCallLocator"},"recordingContentType":"audio","recordingChannelType":"mixed","recordingFormatType":"wav"}';
const ACS = { kind: 'connectionString', endpoint: 'https://myacs.communication.azure.com/', accessKey: KEY } as const;
const STATE = json(200, { recordingId: 'eyJhIjoiYiJ9==', recordingState: 'inactive' });

/** Independent HMAC of a string-to-sign, to tie the vector's string-to-sign to its signature. */
function sign(stringToSign: string): string {
  return createHmac('sha256', Buffer.from(KEY, 'base64')).update(stringToSign, 'utf8').digest('base64');
}

function signatureOf(headers: Record<string, string>): string | undefined {
  return /^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=(.+)$/.exec(headers.authorization ?? '')?.[1];
}

describe('HMAC signing (reference §2.3 vectors)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date(DATE), toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('GET recording state: encoded /+= path, empty-body hash, exact signature', async () => {
    const http = captureHttpClient(STATE);
    await new RestAcsRecordingClient(ACS, { httpClient: http }).getRecordingState('eyJhIjoiYiJ9==');

    const [req] = http.requests;
    const stringToSign = `GET\n/calling/recordings/eyJhIjoiYiJ9%3D%3D?api-version=2026-03-12\n${DATE};myacs.communication.azure.com;${EMPTY_SHA}`;
    expect(sign(stringToSign)).toBe('GqfGY6SkUCAFwMnfcN2AuJemFIZRyd9lRdebvTl6Ot8=');
    expect(req?.url).toBe('https://myacs.communication.azure.com/calling/recordings/eyJhIjoiYiJ9%3D%3D?api-version=2026-03-12');
    expect(req?.headers).toMatchObject({
      'x-ms-date': DATE,
      'x-ms-content-sha256': EMPTY_SHA,
      host: 'myacs.communication.azure.com',
      accept: 'application/json',
    });
    expect(signatureOf(req!.headers)).toBe('GqfGY6SkUCAFwMnfcN2AuJemFIZRyd9lRdebvTl6Ot8=');
    expect(req?.allowInsecureConnection).toBe(false);
  });

  it('POST start: body B byte for byte, its hash and signature, plus repeatability headers', async () => {
    const http = captureHttpClient(STATE);
    await new RestAcsRecordingClient(ACS, { httpClient: http }).startRecording(
      { target: { serverCallId: 'aHR0cHM6Ly9hcGk/aT0x' }, content: 'audio', channel: 'mixed', format: 'wav' },
      { repeatabilityRequestId: '03d2c48a-bbc6-4ebd-8526-a2b1d829a997' },
    );

    const [req] = http.requests;
    expect(req?.body).toBe(BODY_B);
    const hash = 'hGUniJb+L6BAgsefpn7J6SCciR2Jk7CHral+VeFnTuw=';
    expect(sign(`POST\n/calling/recordings?api-version=2026-03-12\n${DATE};myacs.communication.azure.com;${hash}`)).toBe(
      'vuIvsoBtpcJxV9prJxeekxeYL/LeKB0hxdTj+K5SZRQ=',
    );
    expect(req?.headers['x-ms-content-sha256']).toBe(hash);
    expect(signatureOf(req!.headers)).toBe('vuIvsoBtpcJxV9prJxeekxeYL/LeKB0hxdTj+K5SZRQ=');
    expect(req?.headers).toMatchObject({
      'content-type': 'application/json',
      'repeatability-request-id': '03d2c48a-bbc6-4ebd-8526-a2b1d829a997',
      'repeatability-first-sent': DATE,
    });
  });

  it('signs host:port for the loopback emulator and allows plain http only there', async () => {
    const http = captureHttpClient(STATE);
    const loopback = { ...ACS, endpoint: 'http://127.0.0.1:8123/' };
    await new RestAcsRecordingClient(loopback, { httpClient: http }).startRecording({
      target: { serverCallId: 'aHR0cHM6Ly9hcGk/aT0x' },
      content: 'audio',
      channel: 'mixed',
      format: 'wav',
    });

    const [req] = http.requests;
    expect(req?.headers.host).toBe('127.0.0.1:8123');
    expect(signatureOf(req!.headers)).toBe('h5PISDyAZOh1+Pcai/Qp6O2+poa8hjhx02jOyFAhxRg=');
    expect(req?.allowInsecureConnection).toBe(true);
    expect(() => new RestAcsRecordingClient({ ...ACS, endpoint: 'http://acs.example.com/' })).toThrow(/must be https/);
  });

  it.each([
    ['https://storage.asm.skype.com/v1/objects/0-eus-d1-abc/content/audio'],
    // The query goes on the wire but is not signed (the SDK signs only the storage pathname).
    ['https://storage.asm.skype.com/v1/objects/0-eus-d1-abc/content/audio?foo=bar'],
  ])('download %s: signed for the ACS host and path, sent to storage with x-ms-host', async (url) => {
    const http = captureHttpClient({ status: 200, headers: { 'content-length': '3' }, body: 'abc' });
    const media = new RestAcsMediaClient(ACS, ['https://*.asm.skype.com'], { httpClient: http });
    const download = await media.download(url);
    download.body.resume();

    const [req] = http.requests;
    expect(sign(`GET\n/v1/objects/0-eus-d1-abc/content/audio\n${DATE};myacs.communication.azure.com;${EMPTY_SHA}`)).toBe(
      'HjsrvorNdUXVhU4PsFj7k4gen0iUiWRE8/3RnqoVMr0=',
    );
    expect(req?.url).toBe(url);
    expect(signatureOf(req!.headers)).toBe('HjsrvorNdUXVhU4PsFj7k4gen0iUiWRE8/3RnqoVMr0=');
    expect(req?.headers).toMatchObject({
      'x-ms-host': 'myacs.communication.azure.com',
      host: 'storage.asm.skype.com',
      originalurl: url,
      accept: 'application/json',
    });
    expect(req?.headers.range).toBeUndefined();
    expect(req?.streamResponseStatusCodes).toEqual([200, 206]);
  });

  it('delete is signed the same way for DELETE', async () => {
    const http = captureHttpClient({ status: 200 });
    await new RestAcsMediaClient(ACS, ['https://*.asm.skype.com'], { httpClient: http }).delete(
      'https://us-storage.asm.skype.com/v1/objects/0-eus-d1-abc',
    );
    const [req] = http.requests;
    expect(req?.method).toBe('DELETE');
    expect(req?.headers['x-ms-host']).toBe('myacs.communication.azure.com');
    expect(signatureOf(req!.headers)).toBe(sign(`DELETE\n/v1/objects/0-eus-d1-abc\n${DATE};myacs.communication.azure.com;${EMPTY_SHA}`));
  });
});

describe('managed identity auth', () => {
  it('sends a bearer token for the ACS scope and no HMAC headers', async () => {
    const scopes: (string | string[])[] = [];
    const credential: TokenCredential = {
      getToken(scope: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
        scopes.push(scope);
        return Promise.resolve({ token: 'tok-123', expiresOnTimestamp: Date.now() + 3_600_000 });
      },
    };
    const http = captureHttpClient(STATE);
    const client = new RestAcsRecordingClient({ kind: 'managedIdentity', endpoint: 'https://myacs.communication.azure.com' }, { httpClient: http, credential });
    await client.getRecordingState('eyJhIjoiYiJ9==');

    expect(scopes.flat()).toEqual([ACS_TOKEN_SCOPE]);
    expect(ACS_TOKEN_SCOPE).toBe('https://communication.azure.com//.default');
    expect(http.requests[0]?.headers.authorization).toBe('Bearer tok-123');
    expect(http.requests[0]?.headers['x-ms-date']).toBeUndefined();
  });
});
