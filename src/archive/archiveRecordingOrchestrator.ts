// The archive of one recording as a Durable orchestration, in retry rounds:
//   round 1: `archiveChunk` for every chunk, in batches of `chunkConcurrency` (media + metadata verified, then the
//   source deleted if enabled). A chunk whose activity failed transiently WAITS: its next attempt is due after an
//   exponential backoff capped at 15 minutes (archiveRetrySchedule.ts), never after the deadline.
//   While any chunk waits, the execution ends with `continueAsNew(progress)`; the next execution sleeps on a durable
//   timer until the earliest due attempt, tries the due chunks again, and so on. A chunk still failing at the deadline
//   is settled as failed (`DeadlinePassed`) and its source kept.
//   Once every chunk is settled: `writeRecordingManifest` (which logs `ArchiveFailed` per failed chunk) → output.
// Why continueAsNew per round: a 20-hour outage is ~90 attempts of a chunk; in one execution their history would grow
// without bound and be replayed on every episode. Per round, the history holds only that round's attempts and one
// timer, and the carried state (ArchiveProgress) is one compact record per chunk.
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
import { recordChunkOutcome } from '../shared/telemetry.js';
import { LOG_MESSAGES } from '../shared/telemetryNames.js';
import type {
  ArchiveChunkInput,
  ArchiveChunkResult,
  ArchiveProgress,
  ArchiveRecordingInput,
  ArchiveRecordingOutput,
  ArchiveRecordingStatus,
  ArchiveRetryPolicy,
  ChunkOutcomeRecord,
  WaitingChunk,
  WriteRecordingManifestInput,
  WriteRecordingManifestResult,
} from './archiveModels.js';
import { toExhaustedFailure } from './archiveErrors.js';
import { ARCHIVE_CHUNK_ACTIVITY, WRITE_RECORDING_MANIFEST_ACTIVITY } from './archiveFunctionNames.js';
import { nextArchiveAttemptMs } from './archiveRetrySchedule.js';
import { recordingArchiveStatus } from './buildRecordingManifest.js';
import { chunkStatusCode, countChunkStatus } from './chunkStatusCodes.js';
import { recordArchiveStatusTask } from './recordArchiveStatusTask.js';
import { settleTasks, type Settled } from './settleTasks.js';

/**
 * Durable retries of the manifest activity (5 s, 10 s, 20 s, 40 s, 80 s between 6 attempts). Chunks are not retried
 * by Durable: the orchestration retries them itself, round by round, until the deadline.
 */
export const DEFAULT_ARCHIVE_RETRY: ArchiveRetryPolicy = {
  firstRetryIntervalMs: 5_000,
  backoffCoefficient: 2,
  maxRetryIntervalMs: 5 * 60_000,
  maxAttempts: 6,
};

/** The failure code of a chunk still failing transiently when the deadline passed. */
export const DEADLINE_PASSED_CODE = 'DeadlinePassed';

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

/** The state of one round: settled chunks and waiting chunks by index (built from, and back into, ArchiveProgress). */
class RoundState {
  readonly settled: Map<number, ChunkOutcomeRecord>;
  readonly waiting: Map<number, WaitingChunk>;
  constructor(
    readonly chunkIndexes: readonly number[],
    readonly deadline: string,
    readonly progress: ArchiveProgress,
  ) {
    this.settled = new Map(progress.settled.map((r) => [r.index, r]));
    this.waiting = new Map(progress.waiting.map((w) => [w.index, w]));
  }

  /** Status codes in index order: settled `D`/`A`/`F`, waiting `W`, not tried yet `P`. */
  codes(): string {
    return this.chunkIndexes
      .map((i) => {
        if (this.waiting.has(i)) return 'W';
        const r = this.settled.get(i);
        return chunkStatusCode({ settled: r !== undefined, archived: r?.archived ?? false, sourceDeleted: r?.deletedAt !== undefined });
      })
      .join('');
  }

  nextAttemptAt(): string | undefined {
    return [...this.waiting.values()].map((w) => w.nextAttemptAt).sort()[0];
  }

  /** The custom status (the one per-round view of "which chunks wait, until when, which failed"). */
  status(phase: ArchiveRecordingStatus['phase'], chunkStatus = this.codes()): ArchiveRecordingStatus {
    const next = this.nextAttemptAt();
    return {
      phase,
      round: this.progress.round,
      deadline: this.deadline,
      ...(next === undefined ? {} : { nextAttemptAt: next }),
      chunksWaiting: this.waiting.size,
      ...countChunkStatus(chunkStatus),
      chunksTotal: chunkStatus.length,
      chunkStatus,
    };
  }

  /** The progress handed to the next round. */
  next(): ArchiveProgress {
    const byIndex = (a: { index: number }, b: { index: number }) => a.index - b.index;
    return { round: this.progress.round + 1, settled: [...this.settled.values()].sort(byIndex), waiting: [...this.waiting.values()].sort(byIndex) };
  }
}

/** The outcome record of a chunk whose activity returned (archived, or failed permanently). */
function outcomeRecord(index: number, r: ArchiveChunkResult): ChunkOutcomeRecord {
  return {
    index,
    archived: r.archived,
    ...(r.archivedAt === undefined ? {} : { archivedAt: r.archivedAt }),
    ...(r.deletedAt === undefined ? {} : { deletedAt: r.deletedAt }),
    ...(r.failures?.length ? { failures: r.failures } : {}),
  };
}

/** The `archiveRecording` orchestrator (registered in src/functions/archiveRecording.ts). */
export function* archiveRecordingOrchestrator(context: OrchestrationContext): Generator<Task, ArchiveRecordingOutput | undefined, unknown> {
  const input = context.df.getInput<ArchiveRecordingInput>();
  const { planId, chunkIndexes, deadline } = input;
  const deadlineMs = Date.parse(deadline);
  const concurrency = Math.max(1, Math.floor(input.options.chunkConcurrency));
  // Instances started before the option was renamed still carry `deleteSourceAfterArchive` in their input.
  const deleteSource = input.options.deleteSource ?? (input.options as { deleteSourceAfterArchive?: boolean }).deleteSourceAfterArchive ?? false;
  const state = new RoundState(chunkIndexes, deadline, input.progress ?? { round: 1, settled: [], waiting: [] });
  const log = contextLogger(context, { recordingId: input.recordingId, serverCallId: input.serverCallId, instanceId: context.df.instanceId });
  const info = (message: string, fields?: Record<string, unknown>) => {
    if (!context.df.isReplaying) log.info(message, fields);
  };
  const nowMs = () => context.df.currentUtcDateTime.getTime();

  // Which chunks this round tries: on the first, every chunk not settled yet (a re-drive pre-settles the archived
  // ones); later, the waiting chunks whose attempt is due, after sleeping on a durable timer until the first is.
  let due: number[];
  if (state.progress.round === 1 && state.waiting.size === 0) {
    due = chunkIndexes.filter((i) => !state.settled.has(i));
    info('Archiving recording', { planId, chunks: chunkIndexes.length, due: due.length, concurrency, deleteSource, deadline });
  } else {
    const next = state.nextAttemptAt();
    if (next !== undefined && Date.parse(next) > nowMs()) {
      context.df.setCustomStatus(state.status('waitingToRetry'));
      yield context.df.createTimer(new Date(next));
    }
    due = [...state.waiting.values()].filter((w) => Date.parse(w.nextAttemptAt) <= nowMs()).map((w) => w.index).sort((a, b) => a - b);
    info('Retrying chunks', { planId, round: state.progress.round, due, waiting: state.waiting.size });
  }
  context.df.setCustomStatus(state.status('archiving'));

  const dueBatches = batches(due, concurrency);
  for (const [batchNumber, batch] of dueBatches.entries()) {
    // Each activity archives and verifies both files of its chunk, then (if enabled) deletes the source. One attempt
    // per round: the activity itself only retries quickly; long waits are this orchestration's timers.
    const tasks = batch.map((chunkIndex) => {
      const activityInput: ArchiveChunkInput = { planId, chunkIndex, deleteSource };
      return context.df.callActivity(ARCHIVE_CHUNK_ACTIVITY, activityInput);
    });
    const settled: Settled<ArchiveChunkResult>[] = yield* settleTasks<ArchiveChunkResult>(context, tasks);
    batch.forEach((chunkIndex, i) => {
      settleChunk(state, chunkIndex, settled[i]!, nowMs(), deadlineMs, info);
      const record = state.settled.get(chunkIndex);
      if (record && !context.df.isReplaying) recordChunkOutcome(record.archived, record.failures?.[0]?.code);
    });
    context.df.setCustomStatus(state.status('archiving'));
    // The state table's counts follow each batch (the wait or the final status below covers the last one).
    if (batchNumber < dueBatches.length - 1) yield* recordArchiveStatusTask(context, { planId, status: 'archiving' }, log);
  }

  if (state.waiting.size > 0) {
    // The next round is a fresh execution: its history starts empty, carrying only the compact progress.
    context.df.setCustomStatus(state.status('waitingToRetry'));
    info('Chunks wait for their next attempt', { round: state.progress.round, waiting: state.waiting.size, nextAttemptAt: state.nextAttemptAt() });
    const nextAttemptAt = state.nextAttemptAt();
    yield* recordArchiveStatusTask(context, { planId, status: 'waitingToRetry', ...(nextAttemptAt === undefined ? {} : { nextAttemptAt }) }, log);
    context.df.continueAsNew({ ...input, progress: state.next() } satisfies ArchiveRecordingInput);
    return undefined;
  }

  // The manifest, written once all chunks are settled (it records whether each source was deleted).
  const ownStatus = state.codes();
  context.df.setCustomStatus(state.status('writingManifest'));
  const manifestInput: WriteRecordingManifestInput = {
    planId,
    instanceId: context.df.instanceId,
    sourceEventId: input.sourceEventId,
    completedAt: context.df.currentUtcDateTime.toISOString(),
    chunks: chunkIndexes.map((i) => state.settled.get(i)!),
  };
  let written: WriteRecordingManifestResult | undefined;
  let manifestError: string | undefined;
  try {
    const retry = retryOptions(input.options.retry ?? DEFAULT_ARCHIVE_RETRY);
    written = (yield context.df.callActivityWithRetry(WRITE_RECORDING_MANIFEST_ACTIVITY, retry, manifestInput)) as WriteRecordingManifestResult;
  } catch (e) {
    manifestError = toExhaustedFailure(e, 'manifest').message;
    if (!context.df.isReplaying) {
      log.error('Writing the manifest failed after retries', { error: manifestError });
      // The manifest activity logs ArchiveFailed per failed chunk with its document id; without a manifest, say it here.
      const failed = chunkIndexes.filter((i) => !state.settled.get(i)!.archived);
      if (failed.length > 0) log.error(LOG_MESSAGES.archiveFailed, { planId, chunkIndexes: failed, manifestError });
    }
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
    retryOptions(input.options.retry ?? DEFAULT_ARCHIVE_RETRY),
  );
  context.df.setCustomStatus(state.status('done', chunkStatus));
  info(LOG_MESSAGES.archiveFinished, { status: output.status, archived: counts.chunksArchived, failed: counts.chunksFailed, sourcesDeleted: counts.sourcesDeleted, rounds: state.progress.round });
  return output;
}

/** A chunk's attempt is over: settled (returned, or failed past the deadline) or waiting for its next attempt. */
function settleChunk(
  state: RoundState,
  index: number,
  settled: Settled<ArchiveChunkResult>,
  nowMs: number,
  deadlineMs: number,
  info: (message: string, fields?: Record<string, unknown>) => void,
): void {
  if (settled.ok) {
    state.waiting.delete(index);
    const record = outcomeRecord(index, settled.value);
    state.settled.set(index, record);
    if (!record.archived) info('Chunk not archived; its source is kept', { chunkIndex: index, failures: record.failures });
    return;
  }
  // Thrown = transient (permanent failures are returned): wait and try again, unless the deadline has passed.
  const failure = toExhaustedFailure(settled.error, 'chunk');
  const attempts = (state.waiting.get(index)?.attempts ?? 0) + 1;
  const next = nextArchiveAttemptMs(attempts, nowMs, deadlineMs);
  if (next === undefined) {
    state.waiting.delete(index);
    // A failure with its own stable code (NotARecording, MetadataMismatch) keeps it; any other says the deadline passed.
    const code = failure.code === 'RetriesExhausted' ? DEADLINE_PASSED_CODE : failure.code;
    state.settled.set(index, { index, archived: false, failures: [{ ...failure, code }] });
    info('Chunk still failing at the deadline; its source is kept', { chunkIndex: index, attempts, failure: failure.message });
    return;
  }
  state.waiting.set(index, { index, attempts, nextAttemptAt: new Date(next).toISOString(), failure: { ...failure, code: 'Transient' } });
}
