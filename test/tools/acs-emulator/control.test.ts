// The emulator's remote control (/emulator/v1/) over real HTTP: the facade's operations from another client, signed
// like ACS requests (unsigned or wrongly signed → 401), bad bodies → 400 naming the field, and connectAcsEmulator's
// refusal of a port held by something else or an emulator with another key.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAcsEmulator, RemoteEmulatorError, type RemoteAcsEmulator } from '../../../tools/acs-emulator/control/remoteEmulator.js';
import { sendSigned } from '../../../tools/acs-emulator/control/signedClient.js';
import { startAcsEmulator, type AcsEmulator } from '../../../tools/acs-emulator/index.js';

let emu: AcsEmulator;
let remote: RemoteAcsEmulator;
/** Takes webhook posts (callbacks, events) and keeps their bodies. */
const received: unknown[] = [];
const sink = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d: Buffer) => (body += d.toString()));
  req.on('end', () => {
    received.push(JSON.parse(body));
    res.writeHead(200).end();
  });
});
let sinkUrl: string;

beforeAll(async () => {
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  emu = await startAcsEmulator({ activationDelayMs: 0 });
  remote = await connectAcsEmulator(emu.endpoint, emu.accessKey);
});

afterAll(async () => {
  await emu?.close();
  await new Promise((r) => sink.close(r));
});

describe('remote control of a running emulator', () => {
  it('reports who it is', () => {
    expect(remote).toMatchObject({ endpoint: emu.endpoint, resourceId: emu.resourceId, mediaOrigin: emu.mediaOrigin });
  });

  it('plays a call, shows its recording, publishes its files and serves their MD5s as the facade does', async () => {
    await remote.setNextRecordingFiles({ sizesBytes: [1500, 700] });
    await expect(remote.simulateCall({})).rejects.toThrow('HTTP 400 body: needs a callbackUrl, callStarted, or both');
    const call = await remote.simulateCall({ callbackUrl: `${sinkUrl}/callback` });
    expect(call.status).toBe(200);
    expect(call.serverCallId).toMatch(/\S/);
    // Start and stop the recording through the ACS REST surface, as the app does.
    const started = await sendSigned(emu.accessKey, {
      method: 'POST',
      url: `${emu.endpoint}calling/recordings?api-version=2026-03-12`,
      body: JSON.stringify({ callLocator: { kind: 'serverCallLocator', serverCallId: call.serverCallId } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(started.status, started.text).toBe(200);
    const { recordingId } = started.json() as { recordingId: string };
    expect((await remote.listRecordings()).map((r) => r.recordingId)).toContain(recordingId);
    const stopped = await sendSigned(emu.accessKey, { method: 'DELETE', url: `${emu.endpoint}calling/recordings/${encodeURIComponent(recordingId)}?api-version=2026-03-12` });
    expect(stopped.status).toBe(204);

    const recording = await remote.getRecording(recordingId);
    expect(recording).toMatchObject({ recordingId, serverCallId: call.serverCallId, state: 'stopped' });
    expect(recording!.chunks.map((c) => c.sizeBytes)).toEqual([1500, 700]);
    expect(typeof recording!.startTime).toBe('string');
    expect(await remote.getRecording('no-such-recording')).toBeUndefined();

    const doc = recording!.chunks[0]!.documentId;
    expect(await remote.fileMd5(doc, 'content')).toBe(await emu.fileMd5(doc, 'content'));
    expect(await remote.fileMd5(doc, 'metadata')).toBe(await emu.fileMd5(doc, 'metadata'));

    const before = received.length;
    expect(await remote.publishRecordingFileStatusUpdated(recordingId, `${sinkUrl}/events`)).toEqual({ status: 200 });
    expect(received.slice(before).map((e) => JSON.stringify(e)).join()).toContain(doc);
  });

  it('injects and clears faults in the running emulator', async () => {
    await remote.injectFault({ operation: 'getRecording', times: 5, fault: { type: 'status', status: 503 } });
    const url = `${emu.endpoint}calling/recordings/whatever?api-version=2026-03-12`;
    expect((await sendSigned(emu.accessKey, { method: 'GET', url })).status).toBe(503);
    await remote.clearFaults();
    expect((await sendSigned(emu.accessKey, { method: 'GET', url })).status).toBe(404);
  });

  it('refuses unsigned or wrongly signed control requests with 401 and changes nothing', async () => {
    const unsigned = await fetch(`${emu.endpoint}emulator/v1/faults`, { method: 'DELETE' });
    expect(unsigned.status).toBe(401);
    const otherKey = Buffer.alloc(32, 7).toString('base64');
    const wrong = await sendSigned(otherKey, { method: 'PUT', url: `${emu.endpoint}emulator/v1/next-recording-files`, body: '{"count":9,"sizeBytes":1}' });
    expect(wrong.status).toBe(401);
    await expect(connectAcsEmulator(emu.endpoint, otherKey)).rejects.toThrow(/refuses the access key of ACS_CONNECTION_STRING/);
  });

  it('answers a bad body with 400 naming what is wrong', async () => {
    const bad = await sendSigned(emu.accessKey, {
      method: 'POST',
      url: `${emu.endpoint}emulator/v1/faults`,
      body: JSON.stringify({ operation: 'downloadContent', fault: { type: 'status', status: 42 } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect((bad.json() as { error: { message: string } }).error.message).toMatch(/^fault\.status: /);
    const notJson = await sendSigned(emu.accessKey, { method: 'POST', url: `${emu.endpoint}emulator/v1/calls`, body: '{', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.text).toContain('The request body is not JSON.');
    await expect(remote.setNextRecordingFiles({ count: -1, sizeBytes: 1 })).rejects.toThrow(RemoteEmulatorError);
    const unknown = await sendSigned(emu.accessKey, { method: 'GET', url: `${emu.endpoint}emulator/v1/nothing` });
    expect(unknown.status).toBe(404);
  });

  it('tells a port held by something other than the emulator', async () => {
    const other = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const endpoint = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
      await expect(connectAcsEmulator(endpoint, emu.accessKey)).rejects.toThrow(`What listens at ${endpoint} is not the project's ACS emulator`);
    } finally {
      await new Promise((r) => other.close(r));
    }
  });
});
