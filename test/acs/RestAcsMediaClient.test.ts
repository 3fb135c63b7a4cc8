// Media client behaviour over a capture transport: ranges, MediaDownload fields, 200-only delete, and the allow-list
// refusing before anything is signed or sent. (Signing itself: hmacSigning.test.ts; real HTTP: emulator tests.)
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { DisallowedUrlError } from '../../src/acs/errors.js';
import { RestAcsMediaClient } from '../../src/acs/RestAcsMediaClient.js';
import { captureHttpClient, json } from './support/captureHttpClient.js';

const ACS = { kind: 'connectionString', endpoint: 'https://myacs.communication.azure.com', accessKey: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=' } as const;
const ALLOWED = ['https://*.asm.skype.com'];
const URL_ = 'https://us-storage.asm.skype.com/v1/objects/0-eus-d1-abc/content/audio';

describe('RestAcsMediaClient', () => {
  it.each([
    [{ offset: 10, length: 100 }, 'bytes=10-109'],
    [{ offset: 0, length: 1 }, 'bytes=0-0'],
    [{ offset: 5 }, 'bytes=5-'],
    [{ length: 4 }, 'bytes=0-3'],
  ])('sends Range for %j', async (range, header) => {
    const http = captureHttpClient({ status: 206, body: '' });
    await new RestAcsMediaClient(ACS, ALLOWED, { httpClient: http }).download(URL_, range).then((d) => d.body.resume());
    expect(http.requests[0]?.headers.range).toBe(header);
  });

  it('rejects nonsense ranges before sending', async () => {
    const http = captureHttpClient({ status: 206 });
    const media = new RestAcsMediaClient(ACS, ALLOWED, { httpClient: http });
    await expect(media.download(URL_, { offset: -1 })).rejects.toThrow(RangeError);
    await expect(media.download(URL_, { offset: 0, length: 0 })).rejects.toThrow(RangeError);
    expect(http.requests).toHaveLength(0);
  });

  it('describes a 206 from Content-Range and streams its body', async () => {
    const http = captureHttpClient({
      status: 206,
      headers: { 'content-range': 'bytes 10-13/1000', 'content-length': '4', 'content-type': 'application/octet-stream' },
      body: 'WAVE',
    });
    const d = await new RestAcsMediaClient(ACS, ALLOWED, { httpClient: http }).download(URL_, { offset: 10, length: 4 });
    expect({ ...d, body: undefined }).toEqual({ status: 206, start: 10, contentLength: 4, totalSize: 1000, contentType: 'application/octet-stream', body: undefined });
    expect(await text(d.body)).toBe('WAVE');
  });

  it('describes a 200 from Content-Length (and trusts a Content-Range on a 200, as AMS sends for metadata)', async () => {
    const plain = captureHttpClient({ status: 200, headers: { 'content-length': '2' }, body: '{}' });
    const d1 = await new RestAcsMediaClient(ACS, ALLOWED, { httpClient: plain }).download(URL_);
    expect([d1.status, d1.start, d1.totalSize, d1.contentLength]).toEqual([200, 0, 2, 2]);
    expect(await text(d1.body)).toBe('{}');

    const meta = captureHttpClient({ status: 200, headers: { 'content-range': 'bytes 0-63/64', 'content-length': '64' }, body: 'm'.repeat(64) });
    const d2 = await new RestAcsMediaClient(ACS, ALLOWED, { httpClient: meta }).download(URL_);
    expect([d2.start, d2.totalSize]).toEqual([0, 64]);
    d2.body.resume();
  });

  it('maps AMS problem JSON and HTML failures to AcsRequestError', async () => {
    const notFound = captureHttpClient(json(404, { title: 'NotFound', status: 404, message: 'Object not found', traceId: 't' }));
    await expect(new RestAcsMediaClient(ACS, ALLOWED, { httpClient: notFound }).download(URL_)).rejects.toMatchObject({
      statusCode: 404,
      code: 'NotFound',
      message: 'Object not found',
    });
    const html = captureHttpClient({ status: 400, headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html>' });
    await expect(new RestAcsMediaClient(ACS, ALLOWED, { httpClient: html }).download(URL_)).rejects.toMatchObject({
      statusCode: 400,
      code: 'HttpError',
      message: 'HTTP 400 with a text/html body',
    });
  });

  it('treats anything but 200 on delete as a failure, even 204', async () => {
    const http = captureHttpClient({ status: 204 });
    await expect(new RestAcsMediaClient(ACS, ALLOWED, { httpClient: http }).delete(URL_)).rejects.toMatchObject({
      statusCode: 204,
      code: 'UnexpectedStatus',
    });
  });

  it.each([
    'https://evil.example/v1/objects/x/content/audio',
    'http://us-storage.asm.skype.com/v1/objects/x',
    'https://asm.skype.com.evil.example/v1/objects/x',
    'not a url',
  ])('refuses %s before anything is signed or sent', async (url) => {
    const http = captureHttpClient({ status: 200 });
    const media = new RestAcsMediaClient(ACS, ALLOWED, { httpClient: http });
    await expect(media.download(url)).rejects.toBeInstanceOf(DisallowedUrlError);
    await expect(media.delete(url)).rejects.toBeInstanceOf(DisallowedUrlError);
    expect(http.requests).toHaveLength(0);
  });
});
