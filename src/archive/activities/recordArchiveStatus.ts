// Activity: the orchestration's round-level archive status into the recording's row of the state table (orchestrators
// cannot do I/O): `archiving` after each batch, `waitingToRetry` with `nextAttemptAt` while it waits, and the final
// status once the manifest is written. The counts and bytes are recomputed from the chunk rows the `archiveChunk`
// activities wrote; on the final call, chunk rows the activities could not settle (retries exhausted, or found
// archived only by the manifest's check of storage) are settled from the final per-chunk codes.
// Input stays small for the history budget: the plan id, a status, and at the end the instance id and one character
// per chunk; it returns nothing.
import { DEADLINE_PASSED_CODE } from '../archiveRecordingOrchestrator.js';
import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { ARCHIVE_STATUSES, type ChunkRecord } from '../../calls/archiveStateModels.js';
import { recordingRow, type CallStateStore } from '../../calls/CallStateStore.js';
import type { RecordingRecord } from '../../calls/callStateModels.js';
import { stateStore } from '../../calls/callServices.js';
import { mutateRow } from '../../calls/mutateRow.js';
import { contextLogger, type Logger } from '../../shared/logging.js';
import { ArchivePlanError } from '../archiveErrors.js';
import { manifestBlobName } from '../blobLayout.js';
import { mapWithConcurrency } from '../mapWithConcurrency.js';
import { readArchivedChunk } from '../readArchivedChunk.js';
import { readArchivePlan, type ArchivePlan } from '../archivePlan.js';
import { recordChunkProgress } from '../state/recordChunkProgress.js';
import { recordingFactsFromPlan } from '../state/recordingFactsFromPlan.js';
import { summarizeChunks } from '../state/summarizeChunks.js';

const inputSchema = z.object({
  planId: z.string().min(1).max(256),
  status: z.enum(ARCHIVE_STATUSES),
  nextAttemptAt: z.string().optional(),
  /** Final call only: the instance that finished. */
  instanceId: z.string().max(256).optional(),
  /** Final call only: `ChunkStatusCode` per planned chunk, in index order. */
  chunkStatus: z.string().regex(/^[DAFP]*$/).optional(),
  /** Final call only: the manifest was written. */
  manifest: z.boolean().optional(),
});
export type RecordArchiveStatusInput = z.infer<typeof inputSchema>;

/** Chunk rows settled at the same time on the final call. */
const SETTLE_CONCURRENCY = 8;

/** The `recordArchiveStatus` activity handler. */
export async function recordArchiveStatus(rawInput: unknown, context: InvocationContext): Promise<void> {
  const input = inputSchema.parse(rawInput);
  let log = contextLogger(context, { planId: input.planId });
  let plan: ArchivePlan;
  try {
    plan = await readArchivePlan(input.planId);
  } catch (e) {
    if (e instanceof ArchivePlanError) {
      log.warn('No usable archive plan: the archive status cannot be recorded', { error: e.message });
      return;
    }
    throw e;
  }
  log = log.with({ recordingId: plan.recording.recordingId, serverCallId: plan.recording.serverCallId });
  await writeArchiveStatus(stateStore.get(), plan, input, new Date(), log);
  log.info('Archive status recorded', { status: input.status, nextAttemptAt: input.nextAttemptAt });
}

export async function writeArchiveStatus(store: CallStateStore, plan: ArchivePlan, input: RecordArchiveStatusInput, now: Date, log: Logger): Promise<void> {
  const { recordingId } = plan.recording;
  let chunks = (await store.listChunks(recordingId)).map((c) => c.value);
  if (input.chunkStatus !== undefined && input.chunkStatus.length === plan.chunks.length) {
    const codes = input.chunkStatus;
    const byIndex = new Map(chunks.map((c) => [c.index, c]));
    const changed = await mapWithConcurrency(plan.chunks, SETTLE_CONCURRENCY, (chunk, i) =>
      settleChunk(store, plan, chunk, codes[i]!, byIndex.get(chunk.index), now, log),
    );
    if (changed.some(Boolean)) chunks = (await store.listChunks(recordingId)).map((c) => c.value);
  }
  const nowIso = now.toISOString();
  await mutateRow(recordingRow(store, recordingId), (current): RecordingRecord => ({
    ...current,
    ...recordingFactsFromPlan(current, plan),
    archiveStatus: input.status,
    archiveInstanceId: input.instanceId ?? current?.archiveInstanceId ?? plan.planId,
    archiveUpdatedAt: nowIso,
    archiveNextAttemptAt: input.status === 'waitingToRetry' ? input.nextAttemptAt : undefined,
    archiveManifestBlobName: input.manifest ? manifestBlobName(plan.blobPrefix) : current?.archiveManifestBlobName,
    ...summarizeChunks(chunks, plan.chunks.length),
    updatedAt: nowIso,
  }));
}

/** Brings one chunk row in line with the orchestration's final code for it; true when it was written. */
async function settleChunk(
  store: CallStateStore,
  plan: ArchivePlan,
  chunk: ArchivePlan['chunks'][number],
  code: string,
  row: ChunkRecord | undefined,
  now: Date,
  log: Logger,
): Promise<boolean> {
  const ref = { recordingId: plan.recording.recordingId, index: chunk.index, documentId: chunk.documentId };
  const current = row?.documentId === chunk.documentId ? row : undefined;
  if (code === 'F' && current?.status !== 'failed' && current?.status !== 'archived') {
    const failure = { step: 'chunk', permanent: false, code: DEADLINE_PASSED_CODE, message: 'The archive gave up on this chunk at its retry deadline' } as const;
    await recordChunkProgress(store, ref, { status: 'failed', failures: [failure] }, now);
    return true;
  }
  if ((code === 'A' || code === 'D') && current?.status !== 'archived') {
    // Archived per the manifest's check of storage (e.g. another instance archived it): record what storage holds.
    const stored = await readArchivedChunk(plan, chunk, log.with({ chunkIndex: chunk.index }));
    if (!stored.media || !stored.metadata) return false;
    const at = now.toISOString();
    await recordChunkProgress(store, ref, { status: 'archived', media: stored.media, metadata: stored.metadata, archivedAt: at, ...(code === 'D' ? { sourceDeletedAt: at } : {}) }, now);
    return true;
  }
  return false;
}
