// POST /api/recordings/{id}/archive (re-drive) end to end: the REAL registered HTTP function with the REAL
// DurableClient over HTTP against the fake Durable API, which runs the REAL orchestration in the time-skipping host
// driver; activities against the ACS emulator and Azurite. Also the Event Grid trigger, for the races.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArchiveRecordingOutput } from '../../src/archive/archiveModels.js';
import { archivePlanBlobName } from '../../src/archive/archivePlan.js';
import type { RecordingManifest } from '../../src/archive/buildRecordingManifest.js';
import type { StartArchiveResult } from '../../src/archive/startArchiveOrchestration.js';
import { useAcsEmulator } from '../support/useAcsEmulator.js';
import { configureArchiveEnv, listArchive, type ArchiveTestEnv } from '../archive/archiveTestEnv.js';
import { invokeEventGrid, invokeHttpWithDurableClient, startFakeDurableApi, type FakeDurableApi } from '../../tools/local/host/durableClientApi.js';
import '../../src/functions/recordingFileStatusUpdated.js';
import '../../src/functions/recordingsArchive.js';
import '../../src/functions/archiveRecording.js';
import '../../src/functions/recordingsGet.js';
import { toRecordingRouteId } from '../../src/calls/recordingIdEncoding.js';
import { invokeHttp } from '../../tools/local/host/functionsHost.js';

const emu = await useAcsEmulator();
let api: FakeDurableApi;
let env: ArchiveTestEnv | undefined;

beforeEach(async () => {
  api = await startFakeDurableApi();
});
afterEach(async () => {
  await api.whenIdle();
  await api.close();
  env?.restore();
  env = undefined;
});

const routeId = (recordingId: string) => Buffer.from(recordingId, 'utf8').toString('base64url');
const OUTAGE = { type: 'throttle', retryAfterSeconds: 0 } as const;

function redrive(recordingId: string, body?: unknown) {
  const id = routeId(recordingId);
  return invokeHttpWithDurableClient(
    'redriveArchive',
    {
      method: 'POST',
      url: `http://localhost/api/recordings/${id}/archive`,
      params: { id },
      ...(body === undefined ? {} : { body: { string: JSON.stringify(body) }, headers: { 'content-type': 'application/json' } }),
    },
    api,
  );
}

const deliver = (event: unknown) => invokeEventGrid('recordingFileStatusUpdated', event, api) as Promise<StartArchiveResult | undefined>;
const requestsFor = (documentId: string, operation?: string) =>
  emu.requests.filter((r) => r.path.includes(documentId) && (!operation || r.operation === operation));
const outputOf = (instanceId: string) => api.instances.get(instanceId)!.output as ArchiveRecordingOutput;

async function manifestOf(instanceId: string): Promise<RecordingManifest> {
  const name = outputOf(instanceId).manifestBlobName!;
  return JSON.parse((await env!.container.getBlobClient(name).downloadToBuffer()).toString('utf8')) as RecordingManifest;
}

describe('POST /api/recordings/{id}/archive (re-drive)', () => {
  it('after an outage past the deadline: the failed chunk is archived and deleted once; the archived one is left alone', { timeout: 120_000 }, async () => {
    env = configureArchiveEnv(emu, { ACS_MAX_RETRIES: '0', ARCHIVE_RETRY_HORIZON_HOURS: '1' });
    const rec = emu.createRecordingWithFiles({ chunks: 2 });
    const [lost, fine] = [rec.chunks[0]!, rec.chunks[1]!];
    emu.injectFault({ operation: 'downloadContent', documentId: lost.documentId, times: 100_000, fault: OUTAGE });
    const started = await deliver(emu.buildRecordingFileStatusUpdated(rec.recordingId, 'EventGrid'));
    await api.whenIdle();
    const instanceId = started!.instanceId;
    expect(outputOf(instanceId)).toMatchObject({ status: 'partial', chunkStatus: 'FD' });
    expect((api.instances.get(instanceId)!.run!.logs).some((l) => l.level === 'error' && /(^|\s)ArchiveFailed \{/.test(l.message))).toBe(true);
    expect(emu.getRecording(rec.recordingId)!.chunks[0]!.deleted).toBe(false);

    emu.clearFaults(); // the outage is over
    const before = emu.requests.length;
    const res = await redrive(rec.recordingId);
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/api/recordings/${routeId(rec.recordingId)}`);
    expect(res.body).toMatchObject({ id: routeId(rec.recordingId), recordingId: rec.recordingId, instanceId, status: 'archiving', chunksToArchive: 1 });
    // A fresh deadline: from now, not from the event.
    expect(Date.parse((res.body as { deadline: string }).deadline)).toBeGreaterThan(Date.now() + 50 * 60_000);
    await api.whenIdle();

    expect(api.instances.get(instanceId)!.executions).toBe(2);
    expect(outputOf(instanceId)).toMatchObject({ status: 'archived', chunkStatus: 'DD', sourcesDeleted: 2 });
    const manifest = await manifestOf(instanceId);
    expect(manifest.chunks.map((c) => [c.status, c.sourceDeleted])).toEqual([['archived', true], ['archived', true]]);
    expect(manifest.chunks[0]!.media!.md5Base64).toBe(await emu.fileMd5(lost.documentId, 'content'));
    expect(requestsFor(lost.documentId, 'deleteRecording').map((r) => r.status)).toEqual([200]);
    // The chunk archived the first time: not downloaded again, not deleted twice.
    expect(emu.requests.slice(before).filter((r) => r.path.includes(fine.documentId))).toEqual([]);
    const blobs = (await listArchive(env.container)).filter((b) => !b.name.startsWith('_plans/'));
    expect(blobs).toHaveLength(5); // 2 × (media + metadata) + manifest: one blob per file
  });

  it('of a fully archived recording: 200, nothing started, no media downloaded, nothing deleted', async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: 2 });
    const started = await deliver(emu.buildRecordingFileStatusUpdated(rec.recordingId, 'EventGrid'));
    await api.whenIdle();
    const before = emu.requests.length;
    const manifestBefore = (await listArchive(env.container)).find((b) => b.name.endsWith('manifest.json'))!;
    const res = await redrive(rec.recordingId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: routeId(rec.recordingId), recordingId: rec.recordingId, instanceId: started!.instanceId, status: 'archived' });
    await api.whenIdle();
    expect(api.instances.get(started!.instanceId)!.executions).toBe(1);
    expect(emu.requests.length).toBe(before);
    expect((await listArchive(env.container)).find((b) => b.name.endsWith('manifest.json'))).toEqual(manifestBefore);
  });

  it('from a body event the app never saw: plan written, archived; an Event Grid redelivery then starts nothing', async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: 1 });
    const event = emu.buildRecordingFileStatusUpdated(rec.recordingId, 'CloudEvents');
    const res = await redrive(rec.recordingId, { event });
    expect(res.status).toBe(202);
    const { instanceId } = res.body as { instanceId: string };
    await api.whenIdle();
    expect(outputOf(instanceId)).toMatchObject({ status: 'archived', chunkStatus: 'D' });
    expect((await listArchive(env.container)).map((b) => b.name)).toContain(archivePlanBlobName(instanceId));
    // The state table knows the re-driven recording (started outside the app): GET reports its archive.
    const id = toRecordingRouteId(rec.recordingId);
    const view = await invokeHttp('getRecording', { method: 'GET', url: `http://localhost/api/recordings/${id}`, params: { id } });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ archive: { status: 'archived', instanceId, deadline: expect.any(String) as unknown, chunks: [{ index: 0, status: 'archived' }] } });
    const again = await deliver(event);
    expect(again).toMatchObject({ started: false, instanceId });
    await api.whenIdle();
    expect(api.instances.get(instanceId)!.executions).toBe(1);
    expect(requestsFor(rec.chunks[0]!.documentId, 'deleteRecording')).toHaveLength(1);
  });

  it('answers 409 while an archive of the recording runs (an Event Grid delivery racing the re-drive converges on one)', async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: 2 });
    const started = await deliver(emu.buildRecordingFileStatusUpdated(rec.recordingId, 'EventGrid'));
    const res = await redrive(rec.recordingId);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'ArchiveRunning' } });
    await api.whenIdle();
    expect(api.instances.get(started!.instanceId)!.executions).toBe(1);
    for (const c of rec.chunks) expect(requestsFor(c.documentId, 'deleteRecording')).toHaveLength(1);
  });

  it('converges concurrent re-drives on one archive: one 202, the other 409, one delete per chunk', { timeout: 60_000 }, async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: 2 });
    emu.injectFault({ operation: 'downloadContent', documentId: rec.chunks[0]!.documentId, times: 1, fault: { type: 'status', status: 404 } });
    await deliver(emu.buildRecordingFileStatusUpdated(rec.recordingId, 'EventGrid'));
    await api.whenIdle(); // chunk 0 failed permanently (404) — say the source was restored
    const results = await Promise.all([redrive(rec.recordingId), redrive(rec.recordingId)]);
    expect(results.map((r) => r.status).sort()).toEqual([202, 409]);
    await api.whenIdle();
    for (const c of rec.chunks) expect(requestsFor(c.documentId, 'deleteRecording').filter((r) => r.status === 200)).toHaveLength(1);
    expect((await listArchive(env.container)).filter((b) => !b.name.startsWith('_plans/'))).toHaveLength(5);
  });

  it('answers 404 with neither a stored plan nor an event, and 400 for a bad id or an invalid event (nothing written)', async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: 1 });
    expect((await redrive(rec.recordingId)).status).toBe(404);
    const bad = await invokeHttpWithDurableClient('redriveArchive', { method: 'POST', url: 'http://localhost/api/recordings/a+b/archive', params: { id: 'a+b' } }, api);
    expect(bad.status).toBe(400);
    const event = emu.buildRecordingFileStatusUpdated(rec.recordingId, 'EventGrid') as { data: { recordingStorageInfo: { recordingChunks: { contentLocation: string }[] } } };
    event.data.recordingStorageInfo.recordingChunks[0]!.contentLocation = 'https://evil.example.com/x';
    const refused = await redrive(rec.recordingId, { event });
    expect(refused.status).toBe(400);
    const refusal = refused.body as { error: { code: string; details: { issues: string[] } } };
    expect(refusal.error.code).toBe('BadRequest');
    expect(refusal.error.details.issues.some((i) => i.includes('contentLocation'))).toBe(true);
    const other = emu.createRecordingWithFiles({ chunks: 1 });
    expect((await redrive(rec.recordingId, { event: emu.buildRecordingFileStatusUpdated(other.recordingId, 'EventGrid') })).status).toBe(400);
    expect((await redrive(rec.recordingId, { nonsense: 1 })).status).toBe(400);
    expect(api.instances.size).toBe(0);
    expect(await listArchive(env.container).catch(() => [])).toEqual([]);
  });
});
