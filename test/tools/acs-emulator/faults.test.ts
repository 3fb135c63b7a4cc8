// Fault injection over real HTTP: each fault kind, rule matching, consumption and clearing.
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAcsEmulator, type AcsEmulator, type EmulatorChunk } from '../../../tools/acs-emulator/index.js';
import { mediaRequest, onEmulator } from './support/mediaClient.js';
import { readAll } from './support/readAll.js';
import { sendSigned } from '../../../tools/acs-emulator/control/signedClient.js';

/** A raw signed GET that reports what actually arrived, even when the connection is cut. */
async function rawMediaGet(acs: AcsEmulator, location: string): Promise<{ status: number; contentLength: number; received: number; aborted: boolean; chunks: number }> {
  // Sign via the SDK signer once to obtain headers, then replay them over node:http to observe the wire directly.
  let signed: Record<string, string> = {};
  await sendSigned(acs.accessKey, {
    method: 'GET',
    url: `${new URL(acs.endpoint).origin}${new URL(location).pathname}`,
    headers: { 'x-ms-host': new URL(acs.endpoint).host },
    tamper: (r) => {
      signed = r.headers.toJSON();
      throw new Error('captured');
    },
  }).catch(() => undefined);
  return new Promise((resolve, reject) => {
    const req = request(onEmulator(acs, location), { headers: signed }, (res) => {
      let received = 0;
      let chunks = 0;
      let aborted = false;
      res.on('data', (c: Buffer) => {
        received += c.length;
        chunks++;
      });
      res.on('aborted', () => (aborted = true));
      res.on('error', () => (aborted = true));
      res.on('close', () => resolve({ status: res.statusCode ?? 0, contentLength: Number(res.headers['content-length']), received, aborted: aborted || !res.complete, chunks }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('fault injection', () => {
  let acs: AcsEmulator;
  let chunk: EmulatorChunk;

  beforeAll(async () => {
    acs = await startAcsEmulator();
    chunk = acs.createRecordingWithFiles({ chunks: [64 * 1024] }).chunks[0]!;
  });
  afterAll(() => acs.close());
  beforeEach(() => acs.clearFaults());

  const getState = (id = 'abc') => sendSigned(acs.accessKey, { method: 'GET', url: `${acs.endpoint}calling/recordings/${id}?api-version=2026-03-12` });

  it('throttle: 429 with Retry-After and a CommunicationErrorResponse, consumed once', async () => {
    acs.injectFault({ operation: 'getRecording', fault: { type: 'throttle', retryAfterSeconds: 7 } });
    const throttled = await getState();
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('7');
    expect(throttled.json()).toMatchObject({ error: { code: 'TooManyRequests' } });
    expect((await getState()).status).toBe(404);
  });

  it('status 500: the observed ACS body on /calling, the AMS shape on media', async () => {
    acs.injectFault({ fault: { type: 'status', status: 500 }, times: 2 });
    const calling = await getState();
    expect([calling.status, calling.json()]).toEqual([500, { error: { code: '9999', message: 'Unknown internal server error.' } }]);
    const media = await mediaRequest(acs, 'GET', chunk.contentLocation);
    expect(media.status).toBe(500);
    expect(media.json()).toMatchObject({ title: 'Internal Server Error', status: 500 });
    expect((await getState()).status).toBe(404);
  });

  it('status with a custom body and content type (e.g. 503)', async () => {
    acs.injectFault({ operation: 'getRecording', fault: { type: 'status', status: 503, body: 'Service Unavailable', contentType: 'text/plain' } });
    const res = await getState();
    expect([res.status, res.text, res.headers['content-type']]).toEqual([503, 'Service Unavailable', 'text/plain']);
  });

  it('html: an HTML error page (what breaks JSON.parse in SDK error handling)', async () => {
    acs.injectFault({ operation: 'downloadContent', fault: { type: 'html', status: 502 } });
    const res = await mediaRequest(acs, 'GET', chunk.contentLocation);
    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('empty: the status with no body', async () => {
    acs.injectFault({ operation: 'downloadMetadata', fault: { type: 'empty', status: 503 } });
    const res = await mediaRequest(acs, 'GET', chunk.metadataLocation);
    expect([res.status, res.text, res.headers['content-length']]).toEqual([503, '', '0']);
  });

  it('wrong 200s: empty, HTML and JSON bodies with status 200, then the real file again', async () => {
    acs.injectFault({ operation: 'downloadContent', fault: { type: 'empty', status: 200 } });
    acs.injectFault({ operation: 'downloadContent', fault: { type: 'html', status: 200 } });
    acs.injectFault({ operation: 'downloadContent', fault: { type: 'status', status: 200, body: '{"error":"blocked"}' } });
    const empty = await mediaRequest(acs, 'GET', chunk.contentLocation);
    expect([empty.status, empty.headers['content-length']]).toEqual([200, '0']);
    const html = await mediaRequest(acs, 'GET', chunk.contentLocation);
    expect([html.status, html.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    const json = await mediaRequest(acs, 'GET', chunk.contentLocation);
    expect([json.status, json.headers['content-type']]).toEqual([200, 'application/json; charset=utf-8']);
    const real = await mediaRequest(acs, 'GET', chunk.contentLocation);
    expect((await readAll(real.stream!)).md5).toBe(await acs.fileMd5(chunk.documentId, 'content'));
  });

  it('zeroHead: the real file with its first bytes zeroed (same length), consumed once', async () => {
    acs.injectFault({ operation: 'downloadContent', documentId: chunk.documentId, fault: { type: 'zeroHead', bytes: 12 } });
    const real = (await readAll(acs.openFile(chunk.documentId, 'content'))).bytes;
    const res = await mediaRequest(acs, 'GET', chunk.contentLocation);
    expect(res.status).toBe(200);
    const zeroed = (await readAll(res.stream!)).bytes;
    expect(zeroed.length).toBe(real.length);
    expect(zeroed.subarray(0, 12).equals(Buffer.alloc(12))).toBe(true);
    expect(zeroed.subarray(12).equals(real.subarray(12))).toBe(true);
    expect(real.toString('latin1', 0, 4)).toBe('RIFF');
    expect((await readAll((await mediaRequest(acs, 'GET', chunk.contentLocation)).stream!)).bytes.equals(real)).toBe(true);
  });

  it("otherDocument: a 200 with another document's file (metadata of another chunk), then the right one", async () => {
    const other = acs.createRecordingWithFiles({ chunks: 1 }).chunks[0]!;
    acs.injectFault({ operation: 'downloadMetadata', documentId: chunk.documentId, fault: { type: 'otherDocument', documentId: other.documentId } });
    const wrong = await mediaRequest(acs, 'GET', chunk.metadataLocation);
    expect(wrong.status).toBe(200);
    expect(JSON.parse((await readAll(wrong.stream!)).bytes.toString('utf8'))).toMatchObject({ chunkDocumentId: other.documentId });
    const right = await mediaRequest(acs, 'GET', chunk.metadataLocation);
    expect(JSON.parse((await readAll(right.stream!)).bytes.toString('utf8'))).toMatchObject({ chunkDocumentId: chunk.documentId });
  });

  it('reset: the head and exactly N body bytes arrive, then the connection is cut', async () => {
    acs.injectFault({ documentId: chunk.documentId, fault: { type: 'reset', afterBytes: 1000 } });
    const cut = await rawMediaGet(acs, chunk.contentLocation);
    expect(cut).toMatchObject({ status: 200, contentLength: 64 * 1024, received: 1000, aborted: true });
    acs.injectFault({ documentId: chunk.documentId, fault: { type: 'reset', afterBytes: 0 } });
    expect(await rawMediaGet(acs, chunk.contentLocation)).toMatchObject({ status: 200, received: 0, aborted: true });
    const whole = await rawMediaGet(acs, chunk.contentLocation);
    expect(whole).toMatchObject({ status: 200, received: 64 * 1024, aborted: false });
  });

  it('slow: the body arrives complete but trickles in many small pieces', async () => {
    acs.injectFault({ operation: 'downloadContent', fault: { type: 'slow', bytesPerSecond: 256 * 1024 } });
    const slow = await rawMediaGet(acs, chunk.contentLocation);
    expect(slow).toMatchObject({ status: 200, received: 64 * 1024, aborted: false });
    // 64 KiB at 256 KiB/s in ~100 ms slices of 25.6 KiB → at least 3 separate writes.
    expect(slow.chunks).toBeGreaterThanOrEqual(3);
    const bytes = await readAll((await mediaRequest(acs, 'GET', chunk.contentLocation)).stream!);
    expect(bytes.md5).toBe(await acs.fileMd5(chunk.documentId, 'content'));
  });

  it('matches by recordingId and documentId, in injection order, `times` times', async () => {
    const other = acs.createRecordingWithFiles({ chunks: [10] });
    acs.injectFault({ recordingId: other.recordingId, times: 2, fault: { type: 'status', status: 503 } });
    acs.injectFault({ fault: { type: 'status', status: 500 } });
    // The chunk of another recording skips the first rule and takes the catch-all.
    expect((await mediaRequest(acs, 'GET', chunk.metadataLocation)).status).toBe(500);
    expect((await mediaRequest(acs, 'GET', other.chunks[0]!.metadataLocation)).status).toBe(503);
    expect((await mediaRequest(acs, 'DELETE', other.chunks[0]!.deleteLocation)).status).toBe(503);
    expect((await mediaRequest(acs, 'GET', other.chunks[0]!.metadataLocation)).status).toBe(200);
  });

  it('does not fire for requests that fail authentication', async () => {
    acs.injectFault({ operation: 'getRecording', fault: { type: 'status', status: 500 } });
    const unsigned = await fetch(`${acs.endpoint}calling/recordings/abc?api-version=2026-03-12`);
    expect(unsigned.status).toBe(401);
    expect((await getState()).status).toBe(500);
  });

  it('clearFaults removes pending rules', async () => {
    acs.injectFault({ fault: { type: 'status', status: 500 }, times: 10 });
    acs.clearFaults();
    expect((await getState()).status).toBe(404);
    expect(() => acs.injectFault({ fault: { type: 'status', status: 500 }, times: 0 })).toThrow(RangeError);
  });
});
