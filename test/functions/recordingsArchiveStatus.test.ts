// The archive as GET /api/recordings/{id} reports it, through the REAL registered functions: the control API, the
// Event Grid trigger (real DurableClient over HTTP to the fake extension API), the orchestration and its activities in
// the host driver, the ACS emulator and Azurite. Every figure asserted is checked against what Azurite holds.
import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerClient } from '@azure/storage-blob';
import type { StartArchiveResult } from '../../src/archive/startArchiveOrchestration.js';
import { mintServerCallId } from '../../tools/acs-emulator/ids/mintServerCallId.js';
import { archiveRecording, configureArchiveEnv, listArchive } from '../archive/archiveTestEnv.js';
import { useCallTestEnv, type CallTestEnv } from '../calls/support/callTestEnv.js';
import { getRecordingApi, routeId, startRecordingApi, stopRecordingApi } from '../calls/support/callRecordingsApi.js';
import { acsRequests } from '../calls/support/postCallback.js';
import { invokeEventGrid, startFakeDurableApi } from '../../tools/local/host/durableClientApi.js';
import { invokeHttp, triggerBinding } from '../../tools/local/host/functionsHost.js';
import { archiveContainerClient } from '../../src/archive/archiveContainerClient.js';
import { createDownloadUrl } from '../../src/archive/createDownloadUrl.js';

function downloadApi(id: string, index: string, file: string, accept?: string) {
  return invokeHttp('downloadRecordingChunk', {
    method: 'GET',
    url: `http://localhost:7071/api/recordings/${id}/chunks/${index}/${file}`,
    params: { id, index, file },
    headers: accept ? { accept } : {},
  });
}

beforeAll(async () => {
  await import('../../src/functions/callAutomationCallback.js');
  await import('../../src/functions/recordingsStart.js');
  await import('../../src/functions/recordingsGet.js');
  await import('../../src/functions/recordingsStop.js');
  await import('../../src/functions/recordingFileStatusUpdated.js');
  await import('../../src/functions/recordingsChunkDownload.js');
});

const setup = useCallTestEnv();
let restoreArchiveEnv: (() => void) | undefined;
afterEach(() => {
  restoreArchiveEnv?.();
  restoreArchiveEnv = undefined;
});

interface ChunkView {
  index: number;
  documentId: string;
  status: string;
  media?: { blobName: string; size: number; contentMD5: string };
  metadata?: { blobName: string; size: number; contentMD5: string };
  archivedAt?: string;
  sourceDeletedAt?: string;
  failures?: { step: string; permanent: boolean; statusCode?: number; code: string }[];
}
interface ArchiveView {
  status: string;
  instanceId?: string;
  updatedAt?: string;
  manifestBlobName?: string;
  chunks: ChunkView[];
}
interface View {
  id: string;
  recordingId: string;
  recordingState: string | null;
  stored: Record<string, unknown> | null;
  archive: ArchiveView;
}

async function archiveEnv(options: Parameters<typeof configureArchiveEnv>[1] = {}): Promise<{ e: CallTestEnv; container: ContainerClient }> {
  const e = await setup();
  const archive = configureArchiveEnv(e.emu, options);
  restoreArchiveEnv = () => archive.restore();
  return { e, container: archive.container };
}

async function getView(id: string): Promise<View> {
  const res = await getRecordingApi(id);
  expect(res.status, res.text).toBe(200);
  return res.body as View;
}

/** Delivers the emulator's file event of `recordingId` through the registered trigger and waits for the archive. */
async function deliverFileEvent(e: CallTestEnv, recordingId: string): Promise<StartArchiveResult> {
  const api = await startFakeDurableApi();
  try {
    const result = (await invokeEventGrid('recordingFileStatusUpdated', e.emu.buildRecordingFileStatusUpdated(recordingId, 'EventGrid'), api)) as StartArchiveResult;
    await api.whenIdle();
    return result;
  } finally {
    await api.close();
  }
}

/** Each archived chunk's blobs, sizes and MD5s must be exactly what Azurite holds and what the emulator served. */
async function expectMatchesStorage(e: CallTestEnv, container: ContainerClient, chunks: ChunkView[]): Promise<void> {
  const blobs = new Map((await listArchive(container)).map((b) => [b.name, b]));
  for (const c of chunks) {
    for (const [file, kind] of [[c.media!, 'content'], [c.metadata!, 'metadata']] as const) {
      const blob = blobs.get(file.blobName);
      expect(blob, file.blobName).toBeDefined();
      expect(file).toEqual({ blobName: file.blobName, size: blob!.size, contentMD5: blob!.md5 });
      expect(file.contentMD5).toBe(await e.emu.fileMd5(c.documentId, kind));
    }
  }
}

describe('GET /api/recordings/{id}: archive', () => {
  it('reports notStarted, then every chunk archived with blob names and MD5s as in Azurite; stored.state follows the stop; a second DELETE is idempotent', async () => {
    const { e, container } = await archiveEnv();
    e.emu.setNextRecordingFiles({ sizesBytes: [300_000, 20_000, 150_000] });
    const start = await startRecordingApi({ serverCallId: mintServerCallId() });
    expect(start.status).toBe(201);
    const { id, recordingId } = start.body as View;
    expect((start.body as View).archive).toEqual({ status: 'notStarted', chunks: [] });

    expect((await stopRecordingApi(id)).body).toEqual({ id, recordingId, action: 'stop', status: 'stopped' });
    const stopped = await getView(id);
    expect(stopped).toMatchObject({ recordingState: 'stopped', stored: { state: 'stopped' }, archive: { status: 'notStarted', chunks: [] } });

    // A second stop: ACS answers 404 (it forgot the recording); the API answers as the first time.
    const again = await stopRecordingApi(id);
    expect(again.status, again.text).toBe(200);
    expect(again.body).toEqual({ id, recordingId, action: 'stop', status: 'stopped' });
    expect(acsRequests(e, 'stopRecording').map((r) => r.status)).toEqual([204, 404]);

    const result = await deliverFileEvent(e, recordingId);
    expect(result.started).toBe(true);
    const requestsBefore = e.emu.requests.length;
    const view = await getView(id);
    expect(e.emu.requests.slice(requestsBefore).map((r) => r.operation)).toEqual(['getRecording']); // no media, no blob
    const { archive } = view;
    expect(archive).toMatchObject({ status: 'archived', instanceId: result.instanceId, manifestBlobName: expect.stringMatching(/manifest\.json$/) as unknown });
    expect(Date.parse(archive.updatedAt!)).not.toBeNaN();
    expect(archive.chunks.map((c) => [c.index, c.status])).toEqual([[0, 'archived'], [1, 'archived'], [2, 'archived']]);
    const emuChunks = e.emu.getRecording(recordingId)!.chunks;
    expect(archive.chunks.map((c) => c.documentId)).toEqual(emuChunks.map((c) => c.documentId));
    expect(archive.chunks.map((c) => c.media!.size)).toEqual([300_000, 20_000, 150_000]);
    for (const c of archive.chunks) {
      expect(Date.parse(c.sourceDeletedAt!)).toBeGreaterThanOrEqual(Date.parse(c.archivedAt!));
      expect(c.failures).toBeUndefined();
    }
    await expectMatchesStorage(e, container, archive.chunks);
    expect((await listArchive(container)).some((b) => b.name === archive.manifestBlobName)).toBe(true);
    expect(view.stored).toMatchObject({ state: 'stopped', archiveStatus: 'archived', archiveChunksArchived: 3 });
  });

  it('gives a recording started outside the app its row from the file event; a permanently failing chunk shows failed with its failure', async () => {
    const { e, container } = await archiveEnv();
    const rec = e.emu.createRecordingWithFiles({ chunks: [40_000, 50_000] });
    e.emu.injectFault({ operation: 'downloadContent', documentId: rec.chunks[1]!.documentId, times: 10, fault: { type: 'status', status: 404 } });
    expect(await e.store.getRecording(rec.recordingId)).toBeUndefined();

    await deliverFileEvent(e, rec.recordingId);
    const view = await getView(routeId(rec.recordingId));
    expect(view.stored).toMatchObject({ recordingId: rec.recordingId, serverCallId: rec.serverCallId, callId: expect.any(String) as unknown, state: 'stopped' });
    expect(view.archive.status).toBe('partial');
    const [ok, gone] = view.archive.chunks;
    expect(ok).toMatchObject({ index: 0, status: 'archived' });
    await expectMatchesStorage(e, container, [ok!]);
    expect(gone).toMatchObject({ index: 1, status: 'failed', failures: [{ step: 'content', permanent: true, statusCode: 404 }] });
    expect(gone!.media).toBeUndefined();
    expect(gone!.sourceDeletedAt).toBeUndefined();
  });

  it('shows archiving, then waitingToRetry with the failure between rounds, then failed when the deadline has passed', async () => {
    const { e } = await archiveEnv({ ARCHIVE_CHUNK_CONCURRENCY: '1', ACS_MAX_RETRIES: '0' });
    const rec = e.emu.createRecordingWithFiles({ chunks: [30_000, 30_000] });
    const stuck = rec.chunks[1]!;
    // Throttled without a wait (Retry-After: 0), so every attempt fails fast; the rounds run on the driver's virtual clock
    // until the deadline (ARCHIVE_RETRY_HORIZON_HOURS).
    e.emu.injectFault({ operation: 'downloadContent', documentId: stuck.documentId, times: 1000, fault: { type: 'throttle', retryAfterSeconds: 0 } });
    const id = routeId(rec.recordingId);
    const seen: { attempt: number; archive: ArchiveView }[] = [];
    const run = await archiveRecording(e.emu, rec.recordingId, {
      onActivityStart: async (execution) => {
        if (execution.name !== 'archiveChunk' || (execution.input as { chunkIndex: number }).chunkIndex !== 1) return;
        seen.push({ attempt: execution.attempt, archive: (await getView(id)).archive });
      },
    });
    expect(run.output.status).toBe('partial');
    // Before chunk 1's first attempt: the first batch is recorded, the recording is archiving.
    expect(seen[0]!.attempt).toBe(1);
    expect(seen[0]!.archive.status).toBe('archiving');
    expect(seen[0]!.archive.chunks.map((c) => [c.index, c.status])).toEqual([[0, 'archived']]);
    // Before each later round's attempt: the chunk waits, with the transient failure that made it wait.
    expect(seen.length).toBeGreaterThan(1);
    const retry = seen[1]!;
    expect(retry.archive.status).toBe('waitingToRetry');
    expect(retry.archive.chunks[1]).toMatchObject({ index: 1, status: 'waitingToRetry', failures: [{ step: 'content', permanent: false, statusCode: 429 }] });
    // After the last attempt: failed, the failures bounded, the source kept.
    const final = (await getView(id)).archive;
    expect(final.status).toBe('partial');
    expect(final.chunks[1]!.status).toBe('failed');
    expect(final.chunks[1]!.failures!.at(-1)).toMatchObject({ step: 'chunk', code: 'DeadlinePassed', permanent: false });
    expect(final.chunks[1]!.failures!.length).toBeLessThanOrEqual(5);
    expect(e.emu.getRecording(rec.recordingId)!.chunks[1]!.deleted).toBe(false);
  });

  it('reports failed when no chunk could be archived', async () => {
    const { e } = await archiveEnv();
    const rec = e.emu.createRecordingWithFiles({ chunks: [10_000] });
    e.emu.injectFault({ operation: 'downloadMetadata', documentId: rec.chunks[0]!.documentId, times: 10, fault: { type: 'status', status: 403 } });
    await archiveRecording(e.emu, rec.recordingId);
    const { archive } = await getView(routeId(rec.recordingId));
    expect(archive).toMatchObject({ status: 'failed', chunks: [{ status: 'failed', failures: [{ step: 'metadata', statusCode: 403, permanent: true }] }] });
  });
});

describe('GET /api/recordings/{id}/chunks/{index}/media|metadata', () => {
  it('is registered with authLevel function', () => {
    expect(triggerBinding('downloadRecordingChunk')).toMatchObject({ route: 'recordings/{id}/chunks/{index}/{file}', methods: ['GET'], authLevel: 'function' });
  });

  it('redirects to a read-only SAS URL that serves the archived bytes; logs the link without its token; 404 when not archived', async () => {
    const { e } = await archiveEnv();
    const rec = e.emu.createRecordingWithFiles({ chunks: [64_000, 10_000] });
    e.emu.injectFault({ operation: 'downloadContent', documentId: rec.chunks[1]!.documentId, times: 10, fault: { type: 'status', status: 404 } });
    await deliverFileEvent(e, rec.recordingId);
    const id = routeId(rec.recordingId);

    for (const [file, kind] of [['media', 'content'], ['metadata', 'metadata']] as const) {
      const res = await downloadApi(id, '0', file);
      expect(res.status, res.text).toBe(302);
      const location = res.headers.get('location')!;
      const url = new URL(location);
      expect(url.searchParams.get('sp')).toBe('r');
      expect(url.searchParams.get('sig')).toBeTruthy();
      const expiry = Date.parse(url.searchParams.get('se')!);
      expect(expiry - Date.now()).toBeGreaterThan(14 * 60_000);
      expect(expiry - Date.now()).toBeLessThanOrEqual(15 * 60_000);
      // Plain fetch, no credentials: the bytes are the emulator's, byte for byte.
      const got = await fetch(location);
      expect(got.status).toBe(200);
      const body = Buffer.from(await got.arrayBuffer());
      const md5 = createHash('md5').update(body).digest('base64');
      expect(md5).toBe(await e.emu.fileMd5(rec.chunks[0]!.documentId, kind));
      // Read-only: the same URL cannot overwrite the blob.
      expect((await fetch(location, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'x' })).status).toBe(403);
      const logged = res.logs.map((l) => l.message).filter((m) => m.includes('Download link issued'));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toContain('"chunkIndex":0');
      expect(logged[0]).toContain(rec.recordingId);
      expect(res.logs.some((l) => l.message.includes(url.searchParams.get('sig')!) || l.message.includes('sig='))).toBe(false);
    }
    expect((await downloadApi(id, '1', 'media')).status).toBe(404); // its download failed: not archived
    expect((await downloadApi(id, '7', 'metadata')).status).toBe(404);
    expect((await downloadApi(id, '0', 'other')).status).toBe(404);
    expect((await downloadApi(id, '-1', 'media')).status).toBe(400);
    expect((await downloadApi('abc+', '0', 'media')).status).toBe(400);
  });

  it('stops working after its expiry', async () => {
    const { e } = await archiveEnv();
    const rec = e.emu.createRecordingWithFiles({ chunks: [5_000] });
    await deliverFileEvent(e, rec.recordingId);
    const { archive } = await getView(routeId(rec.recordingId));
    const link = await createDownloadUrl(archiveContainerClient.get(), archive.chunks[0]!.media!.blobName, 2_000);
    expect(link.kind).toBe('service');
    expect((await fetch(link.url)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3_500));
    expect((await fetch(link.url)).status).toBe(403);
  });
});

// With `Accept: application/json` (what the console sends, since a player cannot carry the key): 200 {url, expiresOn},
// not cacheable, instead of the 302.
describe('GET /api/recordings/{id}/chunks/{index}/media|metadata with Accept: application/json', () => {
  it('answers 200 {url, expiresOn} with no-store; the URL serves the archived bytes; without the header it is still a 302', async () => {
    const e = await setup();
    const archive = configureArchiveEnv(e.emu);
    restoreArchiveEnv = () => archive.restore();
    const rec = e.emu.createRecordingWithFiles({ chunks: [40_000] });
    const api = await startFakeDurableApi();
    try {
      await invokeEventGrid('recordingFileStatusUpdated', e.emu.buildRecordingFileStatusUpdated(rec.recordingId, 'EventGrid'), api);
      await api.whenIdle();
    } finally {
      await api.close();
    }
    const id = routeId(rec.recordingId);

    for (const [file, kind] of [['media', 'content'], ['metadata', 'metadata']] as const) {
      const res = await downloadApi(id, '0', file, 'application/json');
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = res.body as { url: string; expiresOn: string };
      expect(Object.keys(body).sort()).toEqual(['expiresOn', 'url']);
      const expiry = Date.parse(body.expiresOn);
      expect(expiry - Date.now()).toBeGreaterThan(14 * 60_000);
      expect(expiry - Date.now()).toBeLessThanOrEqual(15 * 60_000);
      expect(new URL(body.url).searchParams.get('se')).toBe(new Date(expiry).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      const got = await fetch(body.url);
      expect(got.status).toBe(200);
      expect(createHash('md5').update(Buffer.from(await got.arrayBuffer())).digest('base64')).toBe(await e.emu.fileMd5(rec.chunks[0]!.documentId, kind));
      expect(res.logs.some((l) => l.message.includes('sig='))).toBe(false);
    }
    // A browser's usual Accept still gets the redirect.
    const redirect = await downloadApi(id, '0', 'media', 'text/html,*/*');
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(/sig=/);
    // Not archived: the same 404 JSON error either way.
    const missing = await downloadApi(id, '3', 'media', 'application/json');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'NotFound' } });
  });
});
