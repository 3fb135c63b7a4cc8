// The archive end to end below the trigger: the REAL registered orchestrator, driven through the out-of-process
// protocol by the durable host driver (determinism checked on every replay), executing the REAL activities against
// the ACS emulator over HTTP and Azurite.
import { buffer } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import type { ArchiveChunkInput, ArchiveChunkResult, ArchiveRecordingOutput, ArchiveRecordingStatus, WriteRecordingManifestResult } from '../../src/archive/archiveModels.js';
import { archivePlanBlobName, readArchivePlan, writeArchivePlan } from '../../src/archive/archivePlan.js';
import type { ManifestChunk, RecordingManifest } from '../../src/archive/buildRecordingManifest.js';
import { useAcsEmulator } from '../support/useAcsEmulator.js';
import { ArchiveNotVerifiedError } from '../../src/archive/archiveErrors.js';
import { ARCHIVE_RECORDING_ORCHESTRATION, WRITE_RECORDING_MANIFEST_ACTIVITY } from '../../src/archive/archiveFunctionNames.js';
import { deleteVerifiedSource } from '../../src/archive/deleteVerifiedSource.js';
import { silentLogger } from '../../src/shared/logging.js';
import { HistoryEventType, runOrchestration } from '../../tools/local/host/durableHost.js';
import { getRegistered, newContext, type CapturedLog } from '../../tools/local/host/functionsHost.js';
import { archiveInputFor, archiveRecording, configureArchiveEnv, listArchive, type ArchiveTestEnv } from './archiveTestEnv.js';

const emu = await useAcsEmulator();
let env: ArchiveTestEnv | undefined;

afterEach(() => {
  env?.restore();
  env = undefined;
});

async function readManifest(name: string): Promise<RecordingManifest> {
  return JSON.parse((await env!.container.getBlobClient(name).downloadToBuffer()).toString('utf8')) as RecordingManifest;
}

/** The manifest's chunks (the per-chunk detail the compact orchestration output leaves to it), by index. */
async function manifestChunks(out: ArchiveRecordingOutput): Promise<ManifestChunk[]> {
  const chunks = (await readManifest(out.manifestBlobName!)).chunks;
  expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
  return chunks;
}

/** The archive's blobs without the archive plans (`_plans/`), after checking that exactly one plan is there. */
async function listArchivedRecording(planId: string) {
  const all = await listArchive(env!.container);
  expect(all.filter((b) => b.name.startsWith('_plans/')).map((b) => b.name)).toEqual([archivePlanBlobName(planId)]);
  return all.filter((b) => !b.name.startsWith('_plans/'));
}

const chunkInput = (a: { input: unknown }) => a.input as ArchiveChunkInput;
const chunkResult = (a: { result?: unknown }) => a.result as ArchiveChunkResult;

function requestsFor(documentId: string, operation?: string) {
  return emu.requests.filter((r) => r.path.includes(documentId) && (!operation || r.operation === operation));
}

describe('archiveRecording orchestration', () => {
  it('archives one chunk: media + metadata verified, labelled, manifest written, source deleted after', async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: [300_000], content: 'audio', channel: 'unmixed', format: 'wav' });
    const chunk = rec.chunks[0]!;
    const run = await archiveRecording(emu, rec.recordingId);

    const out = run.output;
    expect(out).toMatchObject({ recordingId: rec.recordingId, serverCallId: rec.serverCallId, status: 'archived', chunksTotal: 1, chunksArchived: 1, chunksFailed: 0, sourcesDeleted: 1, chunkStatus: 'D' });
    expect(run.customStatus).toMatchObject({ phase: 'done', chunksArchived: 1, chunkStatus: 'D' });
    expect(emu.getRecording(rec.recordingId)!.chunks[0]!.deleted).toBe(true);

    const [archived] = await manifestChunks(out);
    const blobs = await listArchivedRecording(run.instanceId);
    expect(blobs.map((b) => b.name)).toEqual([archived!.media!.blobName, archived!.metadata!.blobName, out.manifestBlobName].sort());
    const [media, metadata] = [archived!.media!, archived!.metadata!];
    expect(media.blobName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/[^/]+\/[^/]+\/chunk-0000-[A-Za-z0-9._-]+\.wav$/);
    expect(metadata.blobName).toBe(media.blobName.replace(/\.wav$/, '.metadata.json'));

    const byName = new Map(blobs.map((b) => [b.name, b]));
    const mediaBlob = byName.get(media.blobName)!;
    expect(mediaBlob).toMatchObject({ size: 300_000, md5: await emu.fileMd5(chunk.documentId, 'content'), contentType: 'audio/wav' });
    expect(byName.get(metadata.blobName)).toMatchObject({ md5: await emu.fileMd5(chunk.documentId, 'metadata'), contentType: 'application/json' });
    for (const [blob, kind] of [[mediaBlob, 'content'], [byName.get(metadata.blobName)!, 'metadata']] as const) {
      expect(blob.metadata).toMatchObject({ recordingid: rec.recordingId, servercallid: rec.serverCallId, chunkindex: '0', documentid: chunk.documentId, kind });
      expect(blob.tags).toMatchObject({ recordingId: rec.recordingId, chunkIndex: '0', documentId: chunk.documentId, kind });
    }
    expect(media).toEqual({ blobName: media.blobName, sizeBytes: 300_000, md5Base64: mediaBlob.md5, contentType: 'audio/wav' });
    const metadataBlob = byName.get(metadata.blobName)!;
    expect(metadata).toEqual({ blobName: metadata.blobName, sizeBytes: metadataBlob.size, md5Base64: await emu.fileMd5(chunk.documentId, 'metadata'), contentType: 'application/json' });

    // The manifest: recording facts, and per chunk files, sizes, MD5s, participants and channels from the metadata.
    const manifest = await readManifest(out.manifestBlobName!);
    const meta = chunk.metadata as { callId?: string; participants?: { participantId: string; channel?: number }[] };
    expect(manifest).toMatchObject({
      schemaVersion: 1,
      recordingId: rec.recordingId,
      serverCallId: rec.serverCallId,
      content: 'audio',
      channel: 'unmixed',
      format: 'wav',
      status: 'archived',
      orchestrationInstanceIds: [run.instanceId],
    });
    expect(manifest.callId).toEqual(expect.any(String));
    expect(manifest.recordingStartTime).toEqual(expect.any(String));
    expect(manifest.chunks).toHaveLength(1);
    expect(manifest.chunks[0]).toMatchObject({
      index: 0,
      documentId: chunk.documentId,
      endReason: chunk.endReason,
      status: 'archived',
      media,
      metadata,
      participants: (meta.participants ?? []).map((p) => p.participantId),
      sourceDeleted: true,
      failures: [],
    });
    expect(manifest.chunks[0]!.participants.length).toBeGreaterThan(0);
    expect(manifest.chunks[0]!.channels).toEqual(
      (meta.participants ?? []).filter((p) => typeof p.channel === 'number').map((p) => ({ channel: p.channel, participantId: p.participantId })).sort((a, b) => a.channel! - b.channel!),
    );
    expect(Date.parse(manifest.chunks[0]!.archivedAt!)).not.toBeNaN();
    expect(byName.get(out.manifestBlobName!)!.tags).toMatchObject({ recordingId: rec.recordingId, kind: 'manifest' });
  });

  it('archives 3 chunks in batches of ARCHIVE_CHUNK_CONCURRENCY, and deletes each source strictly after its archive was verified', async () => {
    env = configureArchiveEnv(emu, { ARCHIVE_CHUNK_CONCURRENCY: '2' });
    const rec = emu.createRecordingWithFiles({ chunks: [2_500_000, 10_000, 1_100_000], content: 'audioVideo' });
    const order: { seq: string; op: string; doc: string }[] = [];
    const off = emu.onRequest((r) => order.push({ seq: 'emu', op: r.operation, doc: r.path }));
    let run;
    try {
      run = await archiveRecording(emu, rec.recordingId, { deliveryOrder: 'reverse' });
    } finally {
      off();
    }
    const out = run.output;
    expect(out.status).toBe('archived');
    expect(out.chunkStatus).toBe('DDD');
    const chunks = await manifestChunks(out);
    expect(chunks.map((c) => [c.index, c.status, c.sourceDeleted])).toEqual([
      [0, 'archived', true],
      [1, 'archived', true],
      [2, 'archived', true],
    ]);
    for (const c of rec.chunks) {
      expect(emu.getRecording(rec.recordingId)!.chunks[c.index]!.deleted).toBe(true);
      const o = chunks[c.index]!;
      expect(o.media!.md5Base64).toBe(await emu.fileMd5(c.documentId, 'content'));
      expect(o.media!.blobName).toMatch(new RegExp(`chunk-000${c.index}-${c.documentId}\\.mp4$`));
      expect(o.media!.contentType).toBe('video/mp4');
      expect(o.metadata!.md5Base64).toBe(await emu.fileMd5(c.documentId, 'metadata'));

      // One activity per chunk archived both files and, only after both had verified, deleted the source.
      const archives = run.activities.filter((a) => a.name === 'archiveChunk' && chunkInput(a).chunkIndex === c.index);
      expect(archives).toHaveLength(1);
      expect(archives[0]!.input).toEqual({ planId: run.instanceId, chunkIndex: c.index, deleteSource: true });
      const result = chunkResult(archives[0]!);
      expect(result.archived).toBe(true);
      expect(Date.parse(result.deletedAt!)).toBeGreaterThanOrEqual(Date.parse(result.archivedAt!));
      expect(result.failures).toBeUndefined();
      // Wire order: the DELETE reached ACS after every download of that chunk had finished.
      const lastDownload = Math.max(...order.flatMap((e, i) => (e.doc.includes(c.documentId) && e.op.startsWith('download') ? [i] : [])));
      const deleteAt = order.findIndex((e) => e.doc.includes(c.documentId) && e.op === 'deleteRecording');
      expect(deleteAt).toBeGreaterThan(lastDownload);
    }
    // Bounded concurrency: chunk 2 (second batch) was only scheduled after the first batch's work was delivered.
    const firstOfBatch2 = Math.min(...run.activities.filter((a) => (a.input as { chunkIndex: number }).chunkIndex === 2).map((a) => a.startedSeq));
    const batch1 = run.activities.filter((a) => (a.input as { chunkIndex?: number }).chunkIndex! < 2);
    expect(Math.max(...batch1.map((a) => a.endedSeq!))).toBeLessThan(firstOfBatch2);

    const names = (await listArchivedRecording(run.instanceId)).map((b) => b.name);
    expect(names).toHaveLength(7);
    expect(names.filter((n) => n.endsWith('manifest.json'))).toEqual([out.manifestBlobName]);
  });

  it('runs the same on the legacy V1 replay schema', async () => {
    env = configureArchiveEnv(emu, { ARCHIVE_CHUNK_CONCURRENCY: '1' });
    const rec = emu.createRecordingWithFiles({ chunks: 2 });
    const run = await archiveRecording(emu, rec.recordingId, { schema: 'V1', deliveryOrder: 'asCompleted' });
    expect(run.output).toMatchObject({ status: 'archived', chunksArchived: 2, sourcesDeleted: 2, chunkStatus: 'DD' });
  });

  it('handles a recording with zero chunks: nothing downloaded, an empty manifest', async () => {
    env = configureArchiveEnv(emu);
    // The emulator always mints at least one file; the event is what matters: it lists none.
    const rec = emu.createRecordingWithFiles({ chunks: 1 });
    const before = emu.requests.length;
    const run = await archiveRecording(emu, rec.recordingId, {}, (event) => {
      (event as { data: { recordingStorageInfo: { recordingChunks: unknown[] } } }).data.recordingStorageInfo.recordingChunks = [];
    });
    expect(run.output).toMatchObject({ status: 'empty', chunksTotal: 0, chunkStatus: '' });
    expect(run.activities.map((a) => a.name)).toEqual(['writeRecordingManifest', 'recordArchiveStatus']);
    expect(emu.requests.length).toBe(before);
    const manifest = await readManifest(run.output.manifestBlobName!);
    expect(manifest).toMatchObject({ recordingId: rec.recordingId, status: 'empty', chunks: [] });
  });

  it('keeps the source when DELETE_SOURCE_AFTER_ARCHIVE=false', async () => {
    env = configureArchiveEnv(emu, { DELETE_SOURCE_AFTER_ARCHIVE: 'false' });
    const rec = emu.createRecordingWithFiles({ chunks: 2 });
    const run = await archiveRecording(emu, rec.recordingId);
    expect(run.output.status).toBe('archived');
    expect(run.output.sourcesDeleted).toBe(0);
    expect(run.output.chunkStatus).toBe('AA');
    expect(run.activities.filter((a) => a.name === 'archiveChunk').map((a) => chunkInput(a).deleteSource)).toEqual([false, false]);
    expect(run.activities.filter((a) => a.name === 'archiveChunk').every((a) => chunkResult(a).archived && chunkResult(a).deletedAt === undefined)).toBe(true);
    expect((await manifestChunks(run.output)).map((c) => [c.status, c.sourceDeleted])).toEqual([['archived', false], ['archived', false]]);
    expect(emu.getRecording(rec.recordingId)!.chunks.every((c) => !c.deleted)).toBe(true);
    expect(emu.requests.some((r) => r.operation === 'deleteRecording' && rec.chunks.some((c) => r.path.includes(c.documentId)))).toBe(false);
  });

  it('records a 404 on one chunk as a permanent failure: not retried, never deleted, the rest archived', async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: 3 });
    const gone = rec.chunks[1]!;
    emu.injectFault({ operation: 'downloadContent', documentId: gone.documentId, times: 100, fault: { type: 'status', status: 404 } });
    const run = await archiveRecording(emu, rec.recordingId);

    expect(run.output.status).toBe('partial');
    expect(run.output).toMatchObject({ chunkStatus: 'DFD', chunksArchived: 2, chunksFailed: 1, sourcesDeleted: 2 });
    const chunks = await manifestChunks(run.output);
    const failed = chunks[1]!;
    expect(failed).toMatchObject({ index: 1, status: 'failed', sourceDeleted: false });
    expect(failed.media).toBeUndefined();
    expect(failed.failures).toEqual([expect.objectContaining({ step: 'content', permanent: true, statusCode: 404 })]);
    // No retry storm: one download attempt, one activity execution, no delete request.
    expect(requestsFor(gone.documentId, 'downloadContent')).toHaveLength(1);
    expect(run.activities.filter((a) => a.name === 'archiveChunk' && chunkInput(a).chunkIndex === gone.index)).toHaveLength(1);
    expect(requestsFor(gone.documentId, 'deleteRecording')).toHaveLength(0);
    expect(emu.getRecording(rec.recordingId)!.chunks[1]!.deleted).toBe(false);

    for (const i of [0, 2]) {
      expect(chunks[i]).toMatchObject({ status: 'archived', sourceDeleted: true });
      expect(emu.getRecording(rec.recordingId)!.chunks[i]!.deleted).toBe(true);
    }
    const manifest = await readManifest(run.output.manifestBlobName!);
    expect(manifest.status).toBe('partial');
    expect(manifest.chunks[1]).toMatchObject({ status: 'failed', sourceDeleted: false, failures: [{ statusCode: 404, permanent: true }] });
  });

  it('gets through 5xx and 429 on the download and the bytes match', async () => {
    env = configureArchiveEnv(emu, { ACS_MAX_RETRIES: '2' });
    const rec = emu.createRecordingWithFiles({ chunks: [1_500_000] });
    const doc = rec.chunks[0]!.documentId;
    emu.injectFault({ operation: 'downloadContent', documentId: doc, times: 1, fault: { type: 'status', status: 500 } });
    emu.injectFault({ operation: 'downloadContent', documentId: doc, times: 1, fault: { type: 'throttle', retryAfterSeconds: 1 } });
    const run = await archiveRecording(emu, rec.recordingId);
    const [chunk] = await manifestChunks(run.output);
    expect(chunk).toMatchObject({ status: 'archived', sourceDeleted: true });
    expect(chunk!.media!.md5Base64).toBe(await emu.fileMd5(doc, 'content'));
    expect(requestsFor(doc, 'downloadContent').map((r) => r.status)).toEqual(expect.arrayContaining([500, 429]));
  });

  it('retries a transiently failing chunk in rounds on durable timers (5xx, then 429, then success on the delete)', async () => {
    // No client-side retries: each failure surfaces to the orchestration, which waits on its (virtual) timers.
    env = configureArchiveEnv(emu, { ACS_MAX_RETRIES: '0' });
    const rec = emu.createRecordingWithFiles({ chunks: 1 });
    const doc = rec.chunks[0]!.documentId;
    emu.injectFault({ operation: 'deleteRecording', documentId: doc, times: 1, fault: { type: 'status', status: 503 } });
    emu.injectFault({ operation: 'deleteRecording', documentId: doc, times: 1, fault: { type: 'throttle', retryAfterSeconds: 30 } });
    const run = await archiveRecording(emu, rec.recordingId);

    const deletes = run.activities.filter((a) => a.name === 'archiveChunk');
    expect(deletes.map((d) => d.status)).toEqual(['failed', 'failed', 'completed']);
    // One execution per round (continueAsNew); while waiting, the custom status names the chunk and the due time.
    expect(run.executions).toHaveLength(3);
    const waiting = run.executions[0]!.customStatus as ArchiveRecordingStatus;
    expect(waiting).toMatchObject({ phase: 'waitingToRetry', round: 1, chunkStatus: 'W', chunksWaiting: 1 });
    expect(Date.parse(waiting.nextAttemptAt!)).toBe(Date.parse(deletes[0]!.scheduledAt) + 5_000);
    expect(Date.parse(waiting.deadline)).toBeGreaterThan(Date.parse(waiting.nextAttemptAt!) + 19 * 3_600_000);
    expect(run.executions[1]!.customStatus).toMatchObject({ phase: 'waitingToRetry', round: 2, chunkStatus: 'W' });
    expect(deletes[0]!.error).toMatch(/^\[step=delete\]/);
    expect((await manifestChunks(run.output))[0]).toMatchObject({ status: 'archived', sourceDeleted: true, failures: [] });
    expect(requestsFor(doc, 'deleteRecording').map((r) => r.status)).toEqual([503, 429, 200]);
    // The retried activity reused the verified archive: each file was downloaded once.
    expect(requestsFor(doc, 'downloadContent')).toHaveLength(1);
    expect(requestsFor(doc, 'downloadMetadata')).toHaveLength(1);
    expect(chunkResult(deletes[2]!)).toMatchObject({ archived: true, reused: 2 });
    // Backoff on the virtual clock: each later round starts with a durable timer, 5 s after the first failure, then 10 s.
    const timers = run.executions.slice(1).map((x) => x.history.find((e) => e.EventType === HistoryEventType.TimerCreated)!);
    expect(timers.map((t, i) => Date.parse(t.FireAt as string) - Date.parse(deletes[i]!.scheduledAt))).toEqual([5_000, 10_000]);
  });

  it('resumes a connection reset mid-stream with a Range request; the archived bytes match exactly', async () => {
    env = configureArchiveEnv(emu, { ARCHIVE_BLOCK_SIZE_MIB: '1' });
    const size = 5 * 1024 * 1024 + 12_345;
    const rec = emu.createRecordingWithFiles({ chunks: [size] });
    const doc = rec.chunks[0]!.documentId;
    emu.injectFault({ operation: 'downloadContent', documentId: doc, times: 1, fault: { type: 'reset', afterBytes: 2 * 1024 * 1024 + 777 } });
    const run = await archiveRecording(emu, rec.recordingId);

    const archive = run.activities.find((a) => a.name === 'archiveChunk')!;
    expect(archive.attempt).toBe(1); // resumed inside the activity, not by a Durable retry
    expect(chunkResult(archive).resumes).toBeGreaterThanOrEqual(1);
    const downloads = requestsFor(doc, 'downloadContent');
    expect(downloads.length).toBeGreaterThanOrEqual(2);
    const ranges = downloads.slice(1).map((r) => String(r.headers.range ?? ''));
    expect(ranges.some((r) => /^bytes=([1-9]\d*)-/.test(r))).toBe(true);

    const [chunk] = await manifestChunks(run.output);
    const media = chunk!.media!;
    expect(media.sizeBytes).toBe(size);
    expect(media.md5Base64).toBe(await emu.fileMd5(doc, 'content'));
    // Byte for byte, not just the hash the engine computed.
    const archived = await env.container.getBlobClient(media.blobName).downloadToBuffer();
    const original = await buffer(emu.openFile(doc, 'content'));
    expect(archived.equals(original)).toBe(true);
    expect(chunk!.sourceDeleted).toBe(true);
  });

  it('leaves identical blobs when every activity is executed twice (at-least-once)', async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: 2 });
    // Before each SECOND execution, the blobs that activity's first execution produced (other activities may still
    // be running concurrently, so only that activity's own chunk's blobs are compared).
    const before = new Map<string, Awaited<ReturnType<typeof listArchive>>[number]>();
    const run = await archiveRecording(emu, rec.recordingId, {
      activityExecutions: () => 2,
      onActivityStart: async (execution, n) => {
        if (n !== 2 || execution.name !== 'archiveChunk') return;
        const documentId = rec.chunks[chunkInput(execution).chunkIndex]!.documentId;
        for (const b of await listArchive(env!.container)) if (b.metadata.documentid === documentId) before.set(b.name, b);
      },
    });
    expect(run.output.status).toBe('archived');
    expect(run.activities.filter((a) => a.name === 'archiveChunk')).toHaveLength(2);
    expect(before.size).toBe(4);
    const final = await listArchive(env.container);
    // Not rewritten by the second execution: same content, properties, labels and ETag.
    for (const [name, b] of before) expect(final.find((f) => f.name === name)).toEqual(b);
    const chunks = await manifestChunks(run.output);
    for (const c of rec.chunks) {
      const o = chunks[c.index]!;
      expect(final.find((b) => b.name === o.media!.blobName)!.md5).toBe(await emu.fileMd5(c.documentId, 'content'));
    }
    // The second executions reused both verified blobs and found the source already deleted (404): both fine.
    expect(run.activities.filter((a) => a.name === 'archiveChunk').every((a) => chunkResult(a).archived && chunkResult(a).reused === 2)).toBe(true);
    expect(run.activities.filter((a) => a.name === 'archiveChunk').every((a) => chunkResult(a).deletedAt !== undefined && !chunkResult(a).failures)).toBe(true);
    for (const c of rec.chunks) expect(requestsFor(c.documentId, 'deleteRecording').map((r) => r.status)).toEqual([200, 404]);
    // The manifest written twice with the same input has the content of a single write.
    const manifest = final.find((b) => b.name === run.output.manifestBlobName)!;
    const once = JSON.stringify(JSON.parse((await env.container.getBlobClient(manifest.name).downloadToBuffer()).toString('utf8')));
    expect(JSON.parse(once)).toMatchObject({ orchestrationInstanceIds: [run.instanceId], chunks: [{ index: 0 }, { index: 1 }] });
  });

  it('a second instance for the same recording reuses the verified archive without contacting ACS', async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: 2 });
    const first = await archiveRecording(emu, rec.recordingId);
    const before = await listArchive(env.container);
    const requests = emu.requests.length;
    // E.g. after an operator purged the instance and Event Grid redelivered: sources are already deleted at ACS.
    const second = await archiveRecording(emu, rec.recordingId, { instanceId: `${first.instanceId}-again` });
    expect(second.output.status).toBe('archived');
    const newRequests = emu.requests.slice(requests);
    expect(newRequests.filter((r) => r.operation.startsWith('download'))).toHaveLength(0);
    expect(second.activities.filter((a) => a.name === 'archiveChunk').every((a) => chunkResult(a).reused === 2)).toBe(true);
    const after = await listArchive(env.container);
    for (const b of before.filter((x) => !x.name.endsWith('manifest.json'))) expect(after.find((a) => a.name === b.name)).toEqual(b);
    const manifest = await readManifest(second.output.manifestBlobName!);
    expect(manifest.orchestrationInstanceIds).toEqual([first.instanceId, `${first.instanceId}-again`]);
    expect(manifest.chunks.every((c: { sourceDeleted: boolean }) => c.sourceDeleted)).toBe(true);
  });

  it('streams a multi-hundred-MiB chunk with flat memory', { timeout: 300_000 }, async () => {
    env = configureArchiveEnv(emu, { ARCHIVE_BLOCK_SIZE_MIB: '8' });
    const size = 320 * 1024 * 1024;
    const rec = emu.createRecordingWithFiles({ chunks: [size] });
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    let out: ArchiveRecordingOutput;
    try {
      out = (await archiveRecording(emu, rec.recordingId)).output;
    } finally {
      clearInterval(sampler);
    }
    const [chunk] = await manifestChunks(out);
    expect(chunk).toMatchObject({ status: 'archived', sourceDeleted: true });
    expect(chunk!.media!.sizeBytes).toBe(size);
    expect(chunk!.media!.md5Base64).toBe(await emu.fileMd5(rec.chunks[0]!.documentId, 'content'));
    // A buffered copy would need ≥ 320 MiB; streaming needs a few 8 MiB blocks plus socket buffers.
    expect(peak - baseline).toBeLessThan(128 * 1024 * 1024);
  });

  it('records a delete that keeps failing until the deadline: archived per storage, source kept, step delete', async () => {
    env = configureArchiveEnv(emu, { ACS_MAX_RETRIES: '0', ARCHIVE_RETRY_HORIZON_HOURS: '1' });
    const rec = emu.createRecordingWithFiles({ chunks: 2 });
    const stuck = rec.chunks[1]!;
    emu.injectFault({ operation: 'deleteRecording', documentId: stuck.documentId, times: 100, fault: { type: 'status', status: 503 } });
    const run = await archiveRecording(emu, rec.recordingId);

    // Attempts 5 s, 10 s, … 640 s apart, then every 15 min, the last at the 1-hour deadline: 12 in all, each reusing
    // the verified files and failing on the DELETE.
    const attempts = run.activities.filter((a) => a.name === 'archiveChunk' && chunkInput(a).chunkIndex === stuck.index);
    expect(attempts).toHaveLength(12);
    expect(attempts.every((a) => a.status === 'failed' && /^\[step=delete\]/.test(a.error!))).toBe(true);
    const gaps = attempts.slice(1).map((a, i) => Date.parse(a.scheduledAt) - Date.parse(attempts[i]!.scheduledAt));
    expect(Math.max(...gaps)).toBe(15 * 60_000);
    expect(requestsFor(stuck.documentId, 'downloadContent')).toHaveLength(1);
    expect(requestsFor(stuck.documentId, 'deleteRecording').map((r) => r.status)).toEqual(Array(12).fill(503));
    expect(emu.getRecording(rec.recordingId)!.chunks[stuck.index]!.deleted).toBe(false);

    // The manifest checked storage: the chunk IS archived; its source was not deleted, and why is recorded.
    expect(run.output).toMatchObject({ status: 'archived', chunkStatus: 'DA', chunksArchived: 2, sourcesDeleted: 1 });
    const chunks = await manifestChunks(run.output);
    expect(chunks[1]).toMatchObject({ status: 'archived', sourceDeleted: false, failures: [{ step: 'delete', permanent: false, code: 'DeadlinePassed' }] });
    expect(chunks[1]!.media!.md5Base64).toBe(await emu.fileMd5(stuck.documentId, 'content'));
    expect(chunks[0]).toMatchObject({ status: 'archived', sourceDeleted: true, failures: [] });
  });

  it('fails every chunk once, without any ACS request, when the archive plan is missing', async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: 2 });
    const { instanceId, input } = archiveInputFor(emu, rec.recordingId); // the plan is NOT written
    const before = emu.requests.length;
    const run = await runOrchestration(ARCHIVE_RECORDING_ORCHESTRATION, input, { instanceId });
    expect(run.runtimeStatus).toBe('Completed');
    const out = run.output as ArchiveRecordingOutput;
    expect(out).toMatchObject({ status: 'failed', chunkStatus: 'FF', chunksFailed: 2 });
    expect(emu.requests.length).toBe(before);
    const chunkRuns = run.activities.filter((a) => a.name === 'archiveChunk');
    expect(chunkRuns).toHaveLength(2); // permanent: not retried
    expect(chunkRuns.every((a) => chunkResult(a).failures?.[0]?.code === 'ArchivePlanInvalid')).toBe(true);
    // Without its plan the manifest cannot be written either; the output says so.
    expect(out.manifestError).toMatch(/does not exist/);
    expect(rec.chunks.every((c) => !emu.getRecording(rec.recordingId)!.chunks[c.index]!.deleted)).toBe(true);
  });

  it('refuses to delete a source whose archived blob no longer matches what was verified', async () => {
    env = configureArchiveEnv(emu, { DELETE_SOURCE_AFTER_ARCHIVE: 'false' });
    const rec = emu.createRecordingWithFiles({ chunks: 1 });
    const run = await archiveRecording(emu, rec.recordingId);
    const [archived] = await manifestChunks(run.output);
    const plan = await readArchivePlan(run.instanceId);
    const before = emu.requests.length;
    // The media blob is replaced after the archive verified it.
    await env.container.getBlockBlobClient(archived!.media!.blobName).uploadData(Buffer.from('not the recording'));
    await expect(deleteVerifiedSource(plan.recording, plan.chunks[0]!, [archived!.media!, archived!.metadata!], silentLogger)).rejects.toThrow(ArchiveNotVerifiedError);
    await env.container.getBlockBlobClient(archived!.media!.blobName).delete();
    await expect(deleteVerifiedSource(plan.recording, plan.chunks[0]!, [archived!.media!, archived!.metadata!], silentLogger)).rejects.toThrow(/missing/);
    await expect(deleteVerifiedSource(plan.recording, plan.chunks[0]!, [], silentLogger)).rejects.toThrow(ArchiveNotVerifiedError);
    expect(emu.requests.slice(before).filter((r) => r.operation === 'deleteRecording')).toEqual([]);
    expect(emu.getRecording(rec.recordingId)!.chunks[0]!.deleted).toBe(false);
  });
});

describe('two deliveries that disagree about a chunk', () => {
  it('keeps both copies, lists the index once, records the conflict and logs ChunkConflict with both document ids', async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: 2 });
    const otherDoc = emu.createRecordingWithFiles({ chunks: 1 }).chunks[0]!;
    const first = await archiveRecording(emu, rec.recordingId);
    expect(first.output).toMatchObject({ status: 'archived', chunkStatus: 'DD' });

    // A second announcement of the same recording names another document for index 0 (an upstream mistake).
    const logs: CapturedLog[] = [];
    const second = await archiveRecording(emu, rec.recordingId, { logs }, (event) => {
      const chunk = (event as { data: { recordingStorageInfo: { recordingChunks: Record<string, unknown>[] } } }).data.recordingStorageInfo.recordingChunks[0]!;
      Object.assign(chunk, {
        documentId: otherDoc.documentId,
        contentLocation: otherDoc.contentLocation,
        metadataLocation: otherDoc.metadataLocation,
        deleteLocation: otherDoc.deleteLocation,
      });
    });
    expect(second.instanceId).not.toBe(first.instanceId);
    // This instance archived its own chunk 0 (a copy of its own): D, and chunk 1 was reused.
    expect(second.output.chunkStatus).toBe('DD');

    const manifest = await readManifest(second.output.manifestBlobName!);
    expect(manifest.chunks.map((c) => [c.index, c.documentId])).toEqual([
      [0, rec.chunks[0]!.documentId],
      [1, rec.chunks[1]!.documentId],
    ]);
    expect(manifest.conflicts).toEqual([
      { index: 0, documentIds: [rec.chunks[0]!.documentId, otherDoc.documentId], chunks: [expect.objectContaining({ documentId: otherDoc.documentId, status: 'archived' })] },
    ]);
    // Both copies are blobs, each verified against its own document.
    const names = (await listArchive(env.container)).map((b) => b.name);
    for (const doc of [rec.chunks[0]!.documentId, otherDoc.documentId]) expect(names.filter((n) => n.includes(`chunk-0000-${doc}`))).toHaveLength(2);
    expect(manifest.conflicts![0]!.chunks[0]!.media!.md5Base64).toBe(await emu.fileMd5(otherDoc.documentId, 'content'));
    const errors = logs.filter((l) => l.level === 'error' && l.message.includes('ChunkConflict'));
    expect(errors).toHaveLength(1);
    for (const doc of [rec.chunks[0]!.documentId, otherDoc.documentId]) expect(errors[0]!.message).toContain(doc);
  });
});

// Concurrent writers of one recording's manifest (re-executed activities, overlapping deliveries) go through the one
// optimistic write loop (mutateRow): each loser of the create-only / ETag-matched upload re-reads, merges and writes
// again, so every writer succeeds and none loses the other's chunks.
describe('writeRecordingManifest under concurrent writers', () => {
  it('every writer succeeds and the manifest lists every chunk once', { timeout: 60_000 }, async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: [1000, 1000, 1000] });
    const { instanceId, plan } = archiveInputFor(emu, rec.recordingId);
    await writeArchivePlan(plan, { logger: silentLogger });
    const activity = getRegistered(WRITE_RECORDING_MANIFEST_ACTIVITY);
    const input = (completedAt: string) => ({
      planId: instanceId,
      instanceId,
      sourceEventId: 'event-1',
      completedAt,
      chunks: plan.chunks.map((c) => ({ index: c.index, archived: false, failures: [] })),
    });

    // A writer loses a round only to a writer that then succeeded, so with 4 writers none loses more than 3 of the
    // MANIFEST_WRITE_ATTEMPTS (5) rounds.
    const results = (await Promise.all(
      Array.from({ length: 4 }, (_, i) => activity.callback(input(new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()), newContext(WRITE_RECORDING_MANIFEST_ACTIVITY))),
    )) as WriteRecordingManifestResult[];

    expect(results.map((r) => r.chunkCount)).toEqual([3, 3, 3, 3]);
    const manifest = JSON.parse((await env.container.getBlobClient(results[0]!.blobName).downloadToBuffer()).toString('utf8')) as RecordingManifest;
    expect(manifest.chunks.map((c) => c.documentId).sort()).toEqual(plan.chunks.map((c) => c.documentId).sort());
  });
});
