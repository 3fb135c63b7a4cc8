// The archive of one recording as a Durable orchestration:
//   for each batch of `chunkConcurrency` chunks: `archiveChunk` (media + metadata verified, then the source deleted
//   if enabled) → after all chunks: `writeRecordingManifest` → return counts and per-chunk status codes.
// Deterministic by construction: everything comes from the input and task results, time from
// `currentUtcDateTime`, logging guarded by `isReplaying`. Settings arrive in the input; nothing reads env here.
//
// History budget: every activity input and result, the input and the output are stored in the orchestration history
// and replayed on every episode. Per chunk that is one `{ planId, chunkIndex, deleteSource }` input and one compact
// outcome record; URLs, ids, blob names, sizes, MD5s and participants stay in storage (plan, blobs, manifest).
//
// Why batches rather than a sliding window: a window needs a fresh Task.any over tasks already in flight, which
// durable-functions 3.x schedules a second time (see settleTasks.ts). Batches bound concurrency with plain fan-outs.
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { contextLogger } from '../shared/logging.js';
import type {
  ArchiveChunkInput,
  ArchiveChunkResult,
  ArchiveRecordingInput,
  ArchiveRecordingOutput,
  ArchiveRecordingStatus,
  ArchiveRetryPolicy,
  ChunkOutcomeRecord,
  WriteRecordingManifestInput,
  WriteRecordingManifestResult,
} from './archiveModels.js';
import { toExhaustedFailure } from './archiveErrors.js';
import { ARCHIVE_CHUNK_ACTIVITY, WRITE_RECORDING_MANIFEST_ACTIVITY } from './archiveFunctionNames.js';
import { recordingArchiveStatus } from './buildRecordingManifest.js';
import { chunkStatusCode, countChunkStatus } from './chunkStatusCodes.js';
import { recordArchiveStatusTask } from './recordArchiveStatusTask.js';
import { settleTasks } from './settleTasks.js';

/**
 * Activity retries for transient failures (5xx, 429, resets, timeouts) after the ACS client's own quick retries:
 * 5 s, 10 s, 20 s, 40 s, 80 s between 6 attempts. Permanent failures are returned as outcomes and never retried.
 */
export const DEFAULT_ARCHIVE_RETRY: ArchiveRetryPolicy = {
  firstRetryIntervalMs: 5_000,
  backoffCoefficient: 2,
  maxRetryIntervalMs: 5 * 60_000,
  maxAttempts: 6,
};

function retryOptions(p: ArchiveRetryPolicy): df.RetryOptions {
  const o = new df.RetryOptions(p.firstRetryIntervalMs, p.maxAttempts);
  o.backoffCoefficient = p.backoffCoefficient;
  o.maxRetryIntervalInMilliseconds = p.maxRetryIntervalMs;
  return o;
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Status codes of the chunks in index order; `P` for those not settled yet. */
function statusCodes(indexes: readonly number[], records: ReadonlyMap<number, ChunkOutcomeRecord>): string {
  return indexes
    .map((i) => records.get(i))
    .map((r) => chunkStatusCode({ settled: r !== undefined, archived: r?.archived ?? false, sourceDeleted: r?.deletedAt !== undefined }))
    .join('');
}

function progress(phase: ArchiveRecordingStatus['phase'], chunkStatus: string): ArchiveRecordingStatus {
  return { phase, ...countChunkStatus(chunkStatus), chunksTotal: chunkStatus.length, chunkStatus };
}

/** The outcome record of one chunk from its settled activity. */
function outcomeRecord(index: number, settled: { ok: true; value: ArchiveChunkResult } | { ok: false; error: Error }): ChunkOutcomeRecord {
  if (!settled.ok) return { index, archived: false, failures: [toExhaustedFailure(settled.error, 'chunk')] };
  const r = settled.value;
  return {
    index,
    archived: r.archived,
    ...(r.archivedAt === undefined ? {} : { archivedAt: r.archivedAt }),
    ...(r.deletedAt === undefined ? {} : { deletedAt: r.deletedAt }),
    ...(r.failures?.length ? { failures: r.failures } : {}),
  };
}

/** The `archiveRecording` orchestrator (registered in src/functions/archiveRecording.ts). */
export function* archiveRecordingOrchestrator(context: OrchestrationContext): Generator<Task, ArchiveRecordingOutput, unknown> {
  const input = context.df.getInput<ArchiveRecordingInput>();
  const { planId, chunkIndexes } = input;
  const retry = retryOptions(input.options.retry ?? DEFAULT_ARCHIVE_RETRY);
  const concurrency = Math.max(1, Math.floor(input.options.chunkConcurrency));
  const deleteSource = input.options.deleteSourceAfterArchive;
  const log = contextLogger(context, { recordingId: input.recordingId, serverCallId: input.serverCallId, instanceId: context.df.instanceId });
  const info = (message: string, fields?: Record<string, unknown>) => {
    if (!context.df.isReplaying) log.info(message, fields);
  };

  const records = new Map<number, ChunkOutcomeRecord>();
  context.df.setCustomStatus(progress('archiving', statusCodes(chunkIndexes, records)));
  info('Archiving recording', { planId, chunks: chunkIndexes.length, concurrency, deleteSource });

  const allBatches = batches(chunkIndexes, concurrency);
  for (const [batchNumber, batch] of allBatches.entries()) {
    // Each activity archives and verifies both files of its chunk, then (if enabled) deletes the source.
    const tasks = batch.map((chunkIndex) => {
      const activityInput: ArchiveChunkInput = { planId, chunkIndex, deleteSource };
      return context.df.callActivityWithRetry(ARCHIVE_CHUNK_ACTIVITY, retry, activityInput);
    });
    const settled = yield* settleTasks<ArchiveChunkResult>(context, tasks);
    batch.forEach((chunkIndex, i) => {
      const record = outcomeRecord(chunkIndex, settled[i]!);
      records.set(chunkIndex, record);
      if (!record.archived) info('Chunk not archived; its source is kept', { chunkIndex, failures: record.failures });
    });
    context.df.setCustomStatus(progress('archiving', statusCodes(chunkIndexes, records)));
    // The state table's counts follow each batch (the final status below covers the last one).
    if (batchNumber < allBatches.length - 1) yield* recordArchiveStatusTask(context, { planId, status: 'archiving' }, log);
  }

  // The manifest, written once all chunks are settled (it records whether each source was deleted).
  const ownStatus = statusCodes(chunkIndexes, records);
  context.df.setCustomStatus(progress('writingManifest', ownStatus));
  const manifestInput: WriteRecordingManifestInput = {
    planId,
    instanceId: context.df.instanceId,
    sourceEventId: input.sourceEventId,
    completedAt: context.df.currentUtcDateTime.toISOString(),
    chunks: chunkIndexes.map((i) => records.get(i)!),
  };
  let written: WriteRecordingManifestResult | undefined;
  let manifestError: string | undefined;
  try {
    written = (yield context.df.callActivityWithRetry(WRITE_RECORDING_MANIFEST_ACTIVITY, retry, manifestInput)) as WriteRecordingManifestResult;
  } catch (e) {
    manifestError = toExhaustedFailure(e, 'manifest').message;
    if (!context.df.isReplaying) log.error('Writing the manifest failed after retries', { error: manifestError });
  }

  // The manifest's view wins: it checked the archive in storage (e.g. a chunk whose delete kept failing is archived).
  const chunkStatus = written?.chunkStatus.length === chunkIndexes.length ? written.chunkStatus : ownStatus;
  const counts = countChunkStatus(chunkStatus);
  const output: ArchiveRecordingOutput = {
    recordingId: input.recordingId,
    ...(input.serverCallId === undefined ? {} : { serverCallId: input.serverCallId }),
    status: recordingArchiveStatus([...chunkStatus].map((c) => ({ status: c === 'F' ? 'failed' : 'archived' }))),
    ...(written === undefined ? {} : { manifestBlobName: written.blobName }),
    ...(manifestError === undefined ? {} : { manifestError }),
    ...counts,
    chunkStatus,
  };
  yield* recordArchiveStatusTask(
    context,
    { planId, status: output.status === 'empty' ? 'archived' : output.status, instanceId: context.df.instanceId, chunkStatus, manifest: written !== undefined },
    log,
    retry,
  );
  context.df.setCustomStatus(progress('done', chunkStatus));
  info('Recording archive finished', { status: output.status, archived: counts.chunksArchived, failed: counts.chunksFailed, sourcesDeleted: counts.sourcesDeleted });
  return output;
}
