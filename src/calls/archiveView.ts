// The `archive` of `GET /api/recordings/{id}`: the recording row's archive summary and its chunk rows, as stored —
// table reads only, never a blob listing, a manifest read or a Durable API call.
import { FINAL_ARCHIVE_STATUSES, type ArchiveStatus, type ChunkArchiveStatus, type ChunkFailure, type ChunkRecord } from './archiveStateModels.js';
import type { RecordingRecord } from './callStateModels.js';
import { withoutUndefined } from '../shared/withoutUndefined.js';

export interface ArchivedBlobView {
  blobName: string;
  size: number;
  /** base64 MD5 of the blob, as its Content-MD5. */
  contentMD5: string;
}

export interface ChunkView {
  index: number;
  documentId: string;
  status: ChunkArchiveStatus;
  media?: ArchivedBlobView;
  metadata?: ArchivedBlobView;
  archivedAt?: string;
  sourceDeletedAt?: string;
  failures?: ChunkFailure[];
}

export interface ArchiveView {
  status: ArchiveStatus;
  instanceId?: string;
  updatedAt?: string;
  deadline?: string;
  nextAttemptAt?: string;
  manifestBlobName?: string;
  chunks: ChunkView[];
}

function blob(blobName: string | undefined, size: number | undefined, contentMD5: string | undefined): ArchivedBlobView | undefined {
  return blobName !== undefined && size !== undefined && contentMD5 !== undefined ? { blobName, size, contentMD5 } : undefined;
}

export function chunkView(c: ChunkRecord): ChunkView {
  return withoutUndefined({
    index: c.index,
    documentId: c.documentId,
    status: c.status,
    media: blob(c.mediaBlobName, c.mediaSize, c.mediaContentMD5),
    metadata: blob(c.metadataBlobName, c.metadataSize, c.metadataContentMD5),
    archivedAt: c.archivedAt,
    sourceDeletedAt: c.sourceDeletedAt,
    failures: c.failures?.length ? c.failures : undefined,
  });
}

/**
 * The recording's archive status: the final one the orchestration recorded; else a chunk waiting for its retry makes
 * it `waitingToRetry` (the activities write that between the orchestration's rounds); else the recorded one.
 */
export function archiveStatusOf(record: RecordingRecord | undefined, chunks: readonly ChunkRecord[]): ArchiveStatus {
  const recorded = record?.archiveStatus;
  if (recorded && FINAL_ARCHIVE_STATUSES.includes(recorded)) return recorded;
  if (chunks.some((c) => c.status === 'waitingToRetry')) return 'waitingToRetry';
  return recorded ?? (chunks.length > 0 ? 'archiving' : 'notStarted');
}

export function archiveView(record: RecordingRecord | undefined, chunks: readonly ChunkRecord[]): ArchiveView {
  return withoutUndefined({
    status: archiveStatusOf(record, chunks),
    instanceId: record?.archiveInstanceId,
    updatedAt: record?.archiveUpdatedAt,
    deadline: record?.archiveDeadline,
    nextAttemptAt: record?.archiveNextAttemptAt,
    manifestBlobName: record?.archiveManifestBlobName,
    chunks: chunks.map(chunkView),
  });
}
