// Activity: one chunk, start to finish — archive its media and its metadata document (each streamed and verified),
// then, if asked, re-check both blobs and delete the chunk at ACS. Inputs and result are small: a plan id and a
// chunk index in, a compact outcome record out; URLs, ids and blob names come from the archive plan in storage.
//
// Failure contract with the orchestrator: permanent failures (source gone, credentials refused, URL not allowed or
// not naming the chunk, copy unverifiable, plan invalid) are RETURNED in `failures`, so Durable records them once;
// transient ones — including a file that is not what it claims to be (NotARecording, MetadataMismatch: a proxy may
// stop meddling) — are THROWN (as ArchiveStepError naming the step and code) so Durable retries with backoff.
//
// Safe to execute again at any point: a file already archived and verified is reused without contacting ACS, and a
// delete that finds the source gone (404/410) counts as done. The delete only ever follows the verification of both
// files in this same execution.
import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { ensureError } from '../../shared/errors.js';
import { contextLogger, type LogFields, type Logger } from '../../shared/logging.js';
import { recordChunkVerified, setSpanIds } from '../../shared/telemetry.js';
import type { ArchiveChunkInput, ArchiveChunkResult, ArchiveFailure, ArchiveFileKind } from '../archiveModels.js';
import { ArchiveStepError, boundFailureMessage, toPermanentFailure, transientFailureCode, transientFailureRecord } from '../archiveErrors.js';
import { planChunk, readArchivePlan } from '../archivePlan.js';
import { ChunkLocationMismatchError } from '../chunkLocation.js';
import { copyChunkFile, type CopiedChunkFile } from '../copyChunkFile.js';
import { deleteVerifiedSource } from '../deleteVerifiedSource.js';
import { recordChunkProgress, type ChunkProgress } from '../state/recordChunkProgress.js';
import { stateStore } from '../../calls/callServices.js';

const inputSchema = z.object({
  planId: z.string().min(1).max(256),
  chunkIndex: z.number().int().min(0),
  deleteSource: z.boolean(),
});

const KINDS: readonly ArchiveFileKind[] = ['content', 'metadata'];

/** The `archiveChunk` activity handler. */
export async function archiveChunk(rawInput: unknown, context: InvocationContext): Promise<ArchiveChunkResult> {
  const input: ArchiveChunkInput = inputSchema.parse(rawInput);
  let log = contextLogger(context, { planId: input.planId, chunkIndex: input.chunkIndex });

  let plan;
  let chunk;
  try {
    plan = await readArchivePlan(input.planId);
    chunk = planChunk(plan, input.chunkIndex);
  } catch (e) {
    const failed = stepFailure(e, 'chunk', log, 'Chunk cannot be archived: its archive plan is unusable');
    if (failed.transient) throw failed.transient;
    return { archived: false, failures: [failed.permanent] };
  }
  log = log.with({ recordingId: plan.recording.recordingId, serverCallId: plan.recording.serverCallId, documentId: chunk.documentId });
  setSpanIds({ recordingId: plan.recording.recordingId, serverCallId: plan.recording.serverCallId, chunkIndex: chunk.index });
  // The chunk's row in the state table follows every step (what GET /api/recordings/{id} reports).
  const ref = { recordingId: plan.recording.recordingId, index: chunk.index, documentId: chunk.documentId };
  const progress = (p: ChunkProgress) => recordChunkProgress(stateStore.get(), ref, p);
  await settledProgress(progress({ status: 'archiving' }));

  // 1. Both files, concurrently; each transfer verifies size and MD5 before it returns.
  const settled = await Promise.allSettled(KINDS.map((kind) => copyChunkFile(plan, chunk, kind, log)));
  const copied: CopiedChunkFile[] = [];
  const failures: ArchiveFailure[] = [];
  let transient: ArchiveStepError | undefined;
  for (const [i, r] of settled.entries()) {
    const kind = KINDS[i]!;
    if (r.status === 'fulfilled') {
      copied.push(r.value);
      continue;
    }
    // Transient includes NotARecording / MetadataMismatch: ACS (or something between) answered with the wrong bytes.
    const failed = stepFailure(r.reason, kind, log, 'Chunk file cannot be archived', { kind });
    if (failed.permanent) failures.push(failed.permanent);
    else transient ??= failed.transient;
  }
  const stats = {
    ...(copied.some((c) => c.reusedExisting) ? { reused: copied.filter((c) => c.reusedExisting).length } : {}),
    ...(copied.some((c) => c.resumes > 0) ? { resumes: copied.reduce((n, c) => n + c.resumes, 0) } : {}),
  };
  if (transient && failures.length === 0) {
    await bestEffort(progress({ status: 'waitingToRetry', failure: transientFailureRecord(transient.step, transient) }), log);
    throw transient; // Retried: the file that did verify is reused then.
  }
  if (transient) {
    // The chunk can never be archived (the other file failed for good): retrying this one would only add traffic.
    failures.push({ step: transient.step, permanent: false, code: 'NotRetried', message: boundFailureMessage(transient.message) });
  }
  if (failures.length > 0) {
    log.error('Chunk not archived; its source is kept', { failures: failures.map((f) => `${f.step}:${f.code}`) });
    await settledProgress(progress({ status: 'failed', failures }));
    return { archived: false, ...stats, failures };
  }
  const verifiedAt = new Date();
  const archivedAt = verifiedAt.toISOString();
  recordChunkVerified(plan.eventTime, verifiedAt);
  const [media, metadata] = [copied[0]!.file, copied[1]!.file];
  const archived = (extra: { sourceDeletedAt?: string; failure?: ArchiveFailure } = {}): ChunkProgress => ({ status: 'archived', media, metadata, archivedAt, ...extra });
  if (!input.deleteSource) {
    await settledProgress(progress(archived()));
    return { archived: true, archivedAt, ...stats };
  }

  // 2. Delete at ACS, strictly after both files verified above (and re-checked in storage right before).
  try {
    await deleteVerifiedSource(plan.recording, chunk, copied.map((c) => c.file), log);
  } catch (e) {
    // A deleteLocation naming another object was already logged as the warning DeleteLocationMismatch.
    const failed = stepFailure(e, 'delete', log, 'Chunk source not deleted', {}, e instanceof ChunkLocationMismatchError);
    if (failed.transient) {
      await bestEffort(progress(archived({ failure: transientFailureRecord('delete', failed.transient) })), log);
      throw failed.transient;
    }
    await settledProgress(progress(archived({ failure: failed.permanent })));
    return { archived: true, archivedAt, ...stats, failures: [failed.permanent] };
  }
  const deletedAt = new Date().toISOString();
  await settledProgress(progress(archived({ sourceDeletedAt: deletedAt })));
  return { archived: true, archivedAt, deletedAt, ...stats };
}

/**
 * The one reading of a failed step. Permanent (the failure model says no retry can fix it): logged as an error and
 * returned as its failure record, for the result. Anything else: logged as a warning and returned as the
 * {@link ArchiveStepError} to throw, so the orchestration tries the chunk again.
 */
function stepFailure(
  e: unknown,
  step: ArchiveFailure['step'],
  log: Logger,
  what: string,
  fields: LogFields = {},
  alreadyLogged = false,
): { permanent: ArchiveFailure; transient?: undefined } | { permanent?: undefined; transient: ArchiveStepError } {
  const permanent = toPermanentFailure(e, step);
  if (permanent) {
    if (!alreadyLogged) log.error(`${what} (permanent, not retried)`, { ...fields, code: permanent.code, statusCode: permanent.statusCode, error: permanent.message });
    return { permanent };
  }
  log.warn(`${what} (transient, retried)`, { ...fields, code: transientFailureCode(e), error: ensureError(e).message });
  return { transient: new ArchiveStepError(step, e) };
}

/** A settled outcome must reach the state table: if it cannot, the activity is retried (its work is reused). */
async function settledProgress(write: Promise<void>): Promise<void> {
  try {
    await write;
  } catch (e) {
    throw new ArchiveStepError('chunk', e);
  }
}

/** Progress on the way to a retry: the thrown failure matters more than its row. */
async function bestEffort(write: Promise<void>, log: Logger): Promise<void> {
  try {
    await write;
  } catch (e) {
    log.warn('Could not record the chunk progress in the state table', { error: ensureError(e).message });
  }
}
