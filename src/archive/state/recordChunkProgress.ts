// The `archiveChunk` activity's writes of its chunk's row: `archiving` when it starts, then `archived` (with both
// blobs, sizes, MD5s and times), `failed` (permanent failures) or `waitingToRetry` (a transient failure Durable will
// retry). A chunk once archived (verified in storage) stays archived: a re-executed activity only adds to it.
import { MAX_CHUNK_FAILURES, type ChunkRecord } from '../../calls/archiveStateModels.js';
import { chunkRow, type CallStateStore } from '../../calls/CallStateStore.js';
import { mutateRow } from '../../calls/mutateRow.js';
import type { ArchiveFailure, ArchivedFile } from '../archiveModels.js';

export type ChunkProgress =
  | { status: 'archiving' }
  | { status: 'waitingToRetry'; failure: ArchiveFailure }
  | { status: 'failed'; failures: ArchiveFailure[] }
  | { status: 'archived'; media: ArchivedFile; metadata: ArchivedFile; archivedAt: string; sourceDeletedAt?: string; failure?: ArchiveFailure };

export async function recordChunkProgress(
  store: CallStateStore,
  chunk: { recordingId: string; index: number; documentId: string },
  progress: ChunkProgress,
  now: Date = new Date(),
): Promise<void> {
  await mutateRow(chunkRow(store, chunk.recordingId, chunk.index), (current) => nextChunkRecord(current, chunk, progress, now.toISOString()));
}

/** The chunk row after `progress`; undefined leaves it as it is. Pure. */
export function nextChunkRecord(
  current: ChunkRecord | undefined,
  chunk: { recordingId: string; index: number; documentId: string },
  progress: ChunkProgress,
  now: string,
): ChunkRecord | undefined {
  const same = current?.documentId === chunk.documentId ? current : undefined;
  const base: ChunkRecord = { ...same, recordingId: chunk.recordingId, index: chunk.index, documentId: chunk.documentId, status: same?.status ?? 'pending', updatedAt: now };
  const withFailures = (added: ArchiveFailure[]) => [...(same?.failures ?? []), ...added].slice(-MAX_CHUNK_FAILURES);
  switch (progress.status) {
    case 'archiving':
      if (same?.status === 'archived' || same?.status === 'archiving') return undefined;
      return { ...base, status: 'archiving' };
    case 'waitingToRetry':
      if (same?.status === 'archived') return undefined;
      return { ...base, status: 'waitingToRetry', failures: withFailures([progress.failure]) };
    case 'failed':
      if (same?.status === 'archived') return { ...base, failures: withFailures(progress.failures) };
      return { ...base, status: 'failed', failures: withFailures(progress.failures) };
    case 'archived':
      return {
        ...base,
        status: 'archived',
        mediaBlobName: progress.media.blobName,
        mediaSize: progress.media.sizeBytes,
        mediaContentMD5: progress.media.md5Base64,
        metadataBlobName: progress.metadata.blobName,
        metadataSize: progress.metadata.sizeBytes,
        metadataContentMD5: progress.metadata.md5Base64,
        archivedAt: same?.archivedAt ?? progress.archivedAt,
        sourceDeletedAt: same?.sourceDeletedAt ?? progress.sourceDeletedAt,
        failures: progress.failure ? withFailures([progress.failure]) : same?.failures,
      };
  }
}
