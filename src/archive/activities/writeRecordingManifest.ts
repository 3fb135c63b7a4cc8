// Activity: write the recording's manifest.json next to its chunks, once every chunk is settled.
//
// Its input is small (plan id + one compact outcome record per chunk): the recording facts, blob names and chunk
// list come from the archive plan, and each chunk's sizes, MD5s, participants and channels are read back from the
// archived blobs themselves — so the manifest states what storage actually holds. If a manifest is already there
// (a re-executed activity, or another instance for an overlapping chunk set), the two are merged per document id
// and written back with an ETag condition, so concurrent writers never lose each other's chunks.
//
// Giving up visibly: once the manifest records a chunk of this plan as failed (a permanent failure, or the retry
// deadline passed), this activity writes one error line per such chunk with the stable message `ArchiveFailed`
// (LOG_MESSAGES.archiveFailed) and the recording, call and document ids — the line an operator's alert keys on. The
// source of such a chunk is kept. (When not even the manifest can be written, the orchestrator writes that line.)
import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { ensureError, statusCodeOf } from '../../shared/errors.js';
import { contextLogger, type Logger } from '../../shared/logging.js';
import type { ChunkOutcome, ChunkOutcomeRecord, WriteRecordingManifestInput, WriteRecordingManifestResult } from '../archiveModels.js';
import { archiveContainerClient, ensureArchiveContainer } from '../archiveContainerClient.js';
import { applyBlobTags } from '../applyBlobTags.js';
import { blobLabels } from '../blobLabels.js';
import { manifestBlobName } from '../blobLayout.js';
import { buildRecordingManifest, mergeRecordingManifests, type RecordingManifest } from '../buildRecordingManifest.js';
import { chunkStatusCode } from '../chunkStatusCodes.js';
import { mapWithConcurrency } from '../mapWithConcurrency.js';
import { readArchivedChunk } from '../readArchivedChunk.js';
import { readArchivePlan, type ArchivePlan } from '../archivePlan.js';
import { readRecordingManifest } from '../readRecordingManifest.js';
import { LOG_MESSAGES } from '../../shared/telemetryNames.js';
import { mutateRow } from '../../calls/mutateRow.js';

/** Optimistic-concurrency rounds before giving up (and letting Durable retry the activity). */
export const MANIFEST_WRITE_ATTEMPTS = 5;

/** Chunks whose archived blobs are read back at the same time. */
export const MANIFEST_READ_CONCURRENCY = 16;

const failureSchema = z.object({
  step: z.enum(['content', 'metadata', 'delete', 'manifest', 'chunk']),
  permanent: z.boolean(),
  statusCode: z.number().optional(),
  code: z.string(),
  message: z.string(),
});

const inputSchema = z.object({
  planId: z.string().min(1),
  instanceId: z.string().min(1),
  sourceEventId: z.string(),
  completedAt: z.string(),
  chunks: z.array(
    z.object({
      index: z.number().int(),
      archived: z.boolean(),
      archivedAt: z.string().optional(),
      deletedAt: z.string().optional(),
      failures: z.array(failureSchema).optional(),
    }),
  ),
});

/** Every chunk of the plan as the manifest records it: the orchestration's outcome checked against storage. */
async function chunkOutcomes(plan: ArchivePlan, records: readonly ChunkOutcomeRecord[], log: Logger): Promise<ChunkOutcome[]> {
  const byIndex = new Map(records.map((r) => [r.index, r]));
  return mapWithConcurrency(plan.chunks, MANIFEST_READ_CONCURRENCY, async (chunk) => {
    const record = byIndex.get(chunk.index);
    const stored = await readArchivedChunk(plan, chunk, log.with({ chunkIndex: chunk.index, documentId: chunk.documentId }));
    const outcome: ChunkOutcome = {
      index: chunk.index,
      documentId: chunk.documentId,
      endReason: chunk.endReason,
      // Archived means: both files are verified copies in storage now (whatever the activity could report).
      status: stored.media && stored.metadata ? 'archived' : 'failed',
      sourceDeleted: record?.deletedAt !== undefined,
      failures: [...(record?.failures ?? [])],
    };
    if (stored.media) outcome.media = stored.media;
    if (stored.metadata) outcome.metadata = stored.metadata;
    if (stored.summary) outcome.summary = stored.summary;
    if (record?.archivedAt) outcome.archivedAt = record.archivedAt;
    if (record?.deletedAt) outcome.sourceDeletedAt = record.deletedAt;
    if (!record) {
      outcome.failures.push({ step: 'manifest', permanent: false, code: 'NoOutcome', message: 'The orchestration reported no outcome for this chunk' });
    } else if (record.archived && outcome.status !== 'archived') {
      outcome.failures.push({ step: 'manifest', permanent: true, code: 'ArchiveNotVerified', message: 'Reported archived, but the archived blobs no longer verify' });
    }
    return outcome;
  });
}

/** An error `ChunkConflict` per index of this plan that another delivery announced with another document id. */
function logConflicts(manifest: RecordingManifest, plan: ArchivePlan, log: Logger): void {
  const ours = new Set(plan.chunks.map((c) => c.documentId));
  for (const conflict of manifest.conflicts ?? []) {
    if (!conflict.documentIds.some((d) => ours.has(d))) continue;
    log.error('ChunkConflict: deliveries of this recording announced different documents for one chunk index; both copies are kept, the manifest lists one and records the conflict', {
      code: 'ChunkConflict',
      chunkIndex: conflict.index,
      documentIds: conflict.documentIds,
      listedDocumentId: conflict.documentIds[0],
    });
  }
}

/** The `writeRecordingManifest` activity handler. */
export async function writeRecordingManifest(rawInput: unknown, context: InvocationContext): Promise<WriteRecordingManifestResult> {
  const input: WriteRecordingManifestInput = inputSchema.parse(rawInput);
  const plan = await readArchivePlan(input.planId);
  const { recording } = plan;
  const log = contextLogger(context, { recordingId: recording.recordingId, serverCallId: recording.serverCallId, planId: input.planId });
  await ensureArchiveContainer();
  const name = manifestBlobName(plan.blobPrefix);
  const blob = archiveContainerClient.get().getBlockBlobClient(name);
  const labels = blobLabels({ recording, kind: 'manifest' });
  const next = buildRecordingManifest({
    recording,
    blobPrefix: plan.blobPrefix,
    instanceId: input.instanceId,
    sourceEventId: input.sourceEventId,
    completedAt: input.completedAt,
    chunks: await chunkOutcomes(plan, input.chunks, log),
  });

  // Merged into what is there through the one optimistic write loop (mutateRow): create-only when there is no
  // manifest, ETag-matched otherwise (an unreadable one is replaced). Every round lost: the last 412/409 is thrown.
  let attempt = 0;
  let lost: unknown;
  let merged = false;
  let sizeBytes = 0;
  const upload = async (manifest: RecordingManifest, conditions: { ifMatch: string } | { ifNoneMatch: '*' }): Promise<string | undefined> => {
    attempt++;
    const body = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
    try {
      const res = await blob.uploadData(body, { blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' }, metadata: labels.metadata, conditions });
      sizeBytes = body.length;
      return res.etag ?? '';
    } catch (e) {
      const status = statusCodeOf(e);
      if (status !== 412 && status !== 409) throw e;
      if (attempt < MANIFEST_WRITE_ATTEMPTS) log.info('Manifest changed while merging; merging again', { attempt });
      lost = e;
      return undefined;
    }
  };
  let written: RecordingManifest;
  try {
    written = (await mutateRow<RecordingManifest | undefined>(
      {
        get: async () => {
          const { manifest, etag } = await readRecordingManifest(blob);
          return etag === undefined ? undefined : { value: manifest, etag };
        },
        insert: (m) => upload(m!, { ifNoneMatch: '*' }),
        replace: (m, etag) => upload(m!, { ifMatch: etag }),
      },
      (existing) => {
        merged = existing !== undefined;
        return mergeRecordingManifests(existing, next);
      },
      { attempts: MANIFEST_WRITE_ATTEMPTS, gaveUp: () => lost },
    ))!;
  } catch (e) {
    log.warn('Writing the manifest failed', { error: ensureError(e).message, attempt });
    throw e;
  }
  await applyBlobTags(blob, labels.tags, log);
  log.info('Recording manifest written', { blobName: name, chunks: written.chunks.length, status: written.status, merged });
  logConflicts(written, plan, log);
  // This instance's chunks as the manifest now records them (a merge may know more than this instance did),
  // whether listed or kept in a conflict.
  const recorded = new Map([...written.chunks, ...(written.conflicts ?? []).flatMap((c) => c.chunks)].map((c) => [c.documentId, c]));
  const chunkStatus = plan.chunks
    .map((c) => recorded.get(c.documentId))
    .map((c) => chunkStatusCode({ archived: c?.status === 'archived', sourceDeleted: c?.sourceDeleted ?? false }))
    .join('');
  for (const chunk of plan.chunks) {
    const c = recorded.get(chunk.documentId);
    if (c?.status === 'archived') continue;
    log.error(LOG_MESSAGES.archiveFailed, {
      callId: recording.callId,
      documentId: chunk.documentId,
      chunkIndex: chunk.index,
      failures: (c?.failures ?? []).map((f) => `${f.step}:${f.code}`),
      manifestBlobName: name,
    });
  }
  return { blobName: name, sizeBytes, chunkCount: written.chunks.length, chunkStatus };
}
