// Retry until the deadline, end to end below the trigger: the REAL orchestration in the time-skipping host driver
// (durable timers on a virtual clock, continueAsNew per round), the REAL activities, the ACS emulator over HTTP and
// Azurite (directly, or behind a proxy that simulates a Blob Storage outage). Outages here last far longer than the
// old fixed budget of 6 activity attempts (~2.5 minutes); history stays bounded per round.
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { ArchiveChunkInput, ArchiveProgress, ArchiveRecordingInput } from '../../src/archive/archiveModels.js';
import type { RecordingManifest } from '../../src/archive/buildRecordingManifest.js';
import { ARCHIVE_RETRY_MAX_DELAY_MS } from '../../src/archive/archiveRetrySchedule.js';
import { useAcsEmulator } from '../support/useAcsEmulator.js';
import { HistoryEventType, type OrchestrationRun } from '../../tools/local/host/durableHost.js';
import { blobEndpointThrough, startStorageProxy, type StorageProxy } from '../../tools/local/storageProxy.js';
import { archiveRecording, configureArchiveEnv, type ArchiveTestEnv } from './archiveTestEnv.js';

const emu = await useAcsEmulator();
let env: ArchiveTestEnv | undefined;
let proxy: StorageProxy | undefined;

afterEach(async () => {
  env?.restore();
  env = undefined;
  await proxy?.close();
  proxy = undefined;
});

const OLD_BUDGET_MS = (5 + 10 + 20 + 40 + 80) * 1000; // 6 attempts of the former Durable retry policy
/**
 * A long outage as the emulator can play it cheaply: 429 with `Retry-After: 0`, so the activity's own quick retries
 * do not sleep in real time while the orchestration's durable timers skip hours of virtual time.
 */
const OUTAGE = { type: 'throttle', retryAfterSeconds: 0 } as const;
/** The bound docs/archive.md states for one execution (round) of a one-chunk outage. */
const HISTORY_BOUND_PER_EXECUTION = 6 * 1024;
const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));
const chunkAttempts = (run: OrchestrationRun, index: number) =>
  run.activities.filter((a) => a.name === 'archiveChunk' && (a.input as ArchiveChunkInput).chunkIndex === index);
const requestsFor = (documentId: string, operation?: string) =>
  emu.requests.filter((r) => r.path.includes(documentId) && (!operation || r.operation === operation));

async function manifestOf(run: OrchestrationRun & { output: { manifestBlobName?: string } }): Promise<RecordingManifest> {
  return JSON.parse((await env!.container.getBlobClient(run.output.manifestBlobName!).downloadToBuffer()).toString('utf8')) as RecordingManifest;
}

describe('archiveRecording retries until the deadline', () => {
  it('outlasts a media outage (40 consecutive 503s for one chunk, no client retries): archived, verified, deleted once', { timeout: 120_000 }, async () => {
    env = configureArchiveEnv(emu, { ACS_MAX_RETRIES: '0' });
    const rec = emu.createRecordingWithFiles({ chunks: [200_000, 150_000] });
    const hit = rec.chunks[1]!;
    emu.injectFault({ documentId: hit.documentId, times: 40, fault: { type: 'status', status: 503 } });
    const run = await archiveRecording(emu, rec.recordingId);

    expect(run.output).toMatchObject({ status: 'archived', chunkStatus: 'DD', sourcesDeleted: 2 });
    const attempts = chunkAttempts(run, hit.index);
    expect(attempts.at(-1)!.status).toBe('completed');
    // Several rounds on durable timers, every one of the 40 503s answered, and the chunk archived after them.
    expect(attempts.length).toBeGreaterThan(1);
    expect(attempts.slice(0, -1).every((a) => a.status === 'failed')).toBe(true);
    expect(requestsFor(hit.documentId).filter((r) => r.status === 503)).toHaveLength(40);
    // Verified against the source's bytes, and the source deleted exactly once, after the copy.
    const chunk = (await manifestOf(run)).chunks[1]!;
    expect(chunk).toMatchObject({ status: 'archived', sourceDeleted: true, failures: [] });
    expect(chunk.media!.md5Base64).toBe(await emu.fileMd5(hit.documentId, 'content'));
    expect(chunk.metadata!.md5Base64).toBe(await emu.fileMd5(hit.documentId, 'metadata'));
    expect(requestsFor(hit.documentId, 'deleteRecording').filter((r) => r.status === 200)).toHaveLength(1);
    expect(emu.getRecording(rec.recordingId)!.chunks[1]!.deleted).toBe(true);
    // One execution per round; the untouched chunk was archived once in the first.
    expect(run.executions.length).toBe(attempts.length);
    expect(chunkAttempts(run, 0)).toHaveLength(1);
  });

  it('outlasts a Blob Storage outage (a proxy in front of Azurite answering 503): archived once storage is back', { timeout: 180_000 }, async () => {
    const storage = inject('storageConnectionString');
    proxy = await startStorageProxy({ target: /BlobEndpoint=(http:\/\/[^/;]+)/.exec(storage)![1]! });
    env = configureArchiveEnv(emu, { ARCHIVE_STORAGE: blobEndpointThrough(storage, proxy) });
    const rec = emu.createRecordingWithFiles({ chunks: [100_000] });
    const doc = rec.chunks[0]!.documentId;
    let chunkAttemptsSoFar = 0;
    // The plan is written while storage is up (the trigger would be retried by Event Grid otherwise); then the archive
    // storage goes down for the first two attempts and comes back before the third.
    const run = await archiveRecording(emu, rec.recordingId, {
      onActivityStart: (execution) => {
        if (execution.name !== 'archiveChunk') return;
        const n = chunkAttemptsSoFar++;
        if (n === 0) proxy!.down();
        if (n === 2) proxy!.up();
      },
    });
    expect(proxy.stats.refused).toBeGreaterThan(0);
    const attempts = chunkAttempts(run, 0);
    expect(attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'completed']);
    expect(run.output).toMatchObject({ status: 'archived', chunkStatus: 'D' });
    const chunk = (await manifestOf(run)).chunks[0]!;
    expect(chunk.media!.md5Base64).toBe(await emu.fileMd5(doc, 'content'));
    // Nothing was deleted while the copy could not be verified; once, after.
    expect(requestsFor(doc, 'deleteRecording').map((r) => r.status)).toEqual([200]);
  });

  it('gives up at the deadline: chunk failed in the manifest, source kept, ArchiveFailed logged with the ids', { timeout: 120_000 }, async () => {
    env = configureArchiveEnv(emu, { ACS_MAX_RETRIES: '0', ARCHIVE_RETRY_HORIZON_HOURS: '1' });
    const rec = emu.createRecordingWithFiles({ chunks: 2 });
    const lost = rec.chunks[0]!;
    emu.injectFault({ operation: 'downloadContent', documentId: lost.documentId, times: 100_000, fault: OUTAGE });
    const run = await archiveRecording(emu, rec.recordingId);

    expect(run.output).toMatchObject({ status: 'partial', chunkStatus: 'FD', chunksFailed: 1 });
    const deadline = (run.executions[0]!.input as ArchiveRecordingInput).deadline;
    const attempts = chunkAttempts(run, lost.index);
    expect(Date.parse(attempts.at(-1)!.scheduledAt)).toBeGreaterThanOrEqual(Date.parse(deadline));
    expect(Date.parse(attempts.at(-2)!.scheduledAt)).toBeLessThan(Date.parse(deadline));
    const manifest = await manifestOf(run);
    expect(manifest.chunks[0]).toMatchObject({ status: 'failed', sourceDeleted: false, failures: [{ step: 'content', permanent: false, code: 'DeadlinePassed' }] });
    expect(requestsFor(lost.documentId, 'deleteRecording')).toHaveLength(0);
    expect(emu.getRecording(rec.recordingId)!.chunks[0]!.deleted).toBe(false);

    const failedLines = (run.logs).filter((l) => l.level === 'error' && /(^|\s)ArchiveFailed \{/.test(l.message));
    expect(failedLines).toHaveLength(1);
    const fields = JSON.parse(failedLines[0]!.message.slice(failedLines[0]!.message.indexOf('{'))) as Record<string, unknown>;
    expect(fields).toMatchObject({ recordingId: rec.recordingId, serverCallId: rec.serverCallId, callId: manifest.callId, documentId: lost.documentId, chunkIndex: 0 });
  });

  it('keeps the history of a 20-hour outage of one chunk bounded per round (measured, see docs/archive.md)', { timeout: 300_000 }, async () => {
    env = configureArchiveEnv(emu, { ACS_MAX_RETRIES: '0', ARCHIVE_RETRY_HORIZON_HOURS: '20' });
    const rec = emu.createRecordingWithFiles({ chunks: [4096] });
    const doc = rec.chunks[0]!.documentId;
    emu.injectFault({ operation: 'downloadContent', documentId: doc, times: 1_000_000, fault: OUTAGE });
    const run = await archiveRecording(emu, rec.recordingId);

    expect(run.output).toMatchObject({ status: 'failed', chunkStatus: 'F' });
    const attempts = chunkAttempts(run, 0);
    const span = Date.parse(attempts.at(-1)!.scheduledAt) - Date.parse(attempts[0]!.scheduledAt);
    expect(span).toBeGreaterThan(19.9 * 3_600_000);
    expect(span).toBeGreaterThan(OLD_BUDGET_MS);
    // Backoff capped at 15 minutes: archiving resumes within 15 minutes after an outage ends.
    const gaps = attempts.slice(1).map((a, i) => Date.parse(a.scheduledAt) - Date.parse(attempts[i]!.scheduledAt));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(ARCHIVE_RETRY_MAX_DELAY_MS);
    // One round per execution: each history holds one attempt and one timer, however long the outage.
    expect(run.executions).toHaveLength(attempts.length);
    const sizes = run.executions.map((x) => bytes(x.history));
    const maxBytes = Math.max(...sizes);
    const total = sizes.reduce((a, b) => a + b, 0);
    process.stdout.write(`20-hour outage of one chunk: ${attempts.length} attempts, ${run.executions.length} executions, history max ${maxBytes} B, total ${total} B\n`);
    // Measured: 88 attempts in 88 executions, at most ~5.7 KB each (one archiveChunk attempt and one status write) (the failed attempt's stack trace in TaskFailed is
    // the largest part). The documented bound is 6 KiB per execution, whatever the outage's length.
    expect(maxBytes).toBeLessThan(HISTORY_BOUND_PER_EXECUTION);
    for (const x of run.executions.slice(1, -1)) {
      // One attempt of the chunk and one status write (waitingToRetry with nextAttemptAt) per round.
      const scheduled = x.history.filter((e) => e.EventType === HistoryEventType.TaskScheduled).map((e) => (e as { Name?: string }).Name);
      expect(scheduled.sort()).toEqual(['archiveChunk', 'recordArchiveStatus']);
      expect(x.history.filter((e) => e.EventType === HistoryEventType.TimerCreated)).toHaveLength(1);
      expect((x.input as ArchiveRecordingInput).progress!.waiting).toHaveLength(1);
    }
    const last = run.executions.at(-2)!.input as { progress: ArchiveProgress };
    expect(last.progress.waiting[0]!.attempts).toBe(attempts.length - 2);
  });
});
