// The small, JSON-only shapes that travel through Durable: orchestration input/output and activity inputs/results.
// Everything here survives a JSON round-trip (no Dates, no undefined-as-meaningful, no bytes): Durable stores it in
// history and hands it back on every replay.
import type { RecordingChannel, RecordingContent, RecordingFormat } from '../config.js';

/** One chunk of a recording as announced by `RecordingFileStatusUpdated` (validated, URLs allow-listed). */
export interface ChunkRef {
  documentId: string;
  index: number;
  endReason: string;
  contentLocation: string;
  metadataLocation: string;
  deleteLocation: string;
}

/** What is known about the recording from the event (subject + data). */
export interface RecordingRef {
  recordingId: string;
  /** From the subject; absent in the older `/recording/call/{callId}/recordingId/{recordingId}` form. */
  serverCallId?: string;
  callId: string;
  recordingStartTime?: string;
  recordingDurationMs?: number;
  content?: RecordingContent;
  channel?: RecordingChannel;
  format?: RecordingFormat;
  sessionEndReason?: string;
}

/** Retry policy for activities (mirrors Durable's RetryOptions fields the host reads). */
export interface ArchiveRetryPolicy {
  firstRetryIntervalMs: number;
  backoffCoefficient: number;
  maxRetryIntervalMs: number;
  maxAttempts: number;
}

/** Input of the `archiveRecording` orchestration. Settings are passed in: orchestrators must not read env. */
export interface ArchiveRecordingInput {
  recording: RecordingRef;
  /** Chunks sorted by index. */
  chunks: ChunkRef[];
  /** Blob name prefix for this recording (ends with `/`), fixed by the trigger so replays never recompute it. */
  blobPrefix: string;
  /** The Event Grid event that started the archive (for the manifest and logs). */
  sourceEventId: string;
  options: {
    chunkConcurrency: number;
    deleteSourceAfterArchive: boolean;
    retry?: ArchiveRetryPolicy;
  };
}

export type ArchiveFileKind = 'content' | 'metadata';

/** Input of the `archiveChunkFile` activity: one file of one chunk, source URL → blob. */
export interface ArchiveChunkFileInput {
  recordingId: string;
  serverCallId?: string;
  callId: string;
  documentId: string;
  chunkIndex: number;
  kind: ArchiveFileKind;
  sourceUrl: string;
  blobName: string;
  contentType: string;
}

/** Participants and timing read from the chunk's ACS metadata document. */
export interface RecordingMetadataSummary {
  callId?: string;
  chunkStartTime?: string;
  chunkDurationMs?: number;
  participants: string[];
  /** Channel → participant, from the metadata's `participants[].channel` (meaningful for unmixed audio). */
  channels: { channel: number; participantId: string }[];
  recordingInfo?: { contentType?: string; channelType?: string; format?: string };
}

/** A verified blob in the archive. */
export interface ArchivedFile {
  blobName: string;
  sizeBytes: number;
  md5Base64: string;
  contentType: string;
}

/** A failure recorded for a chunk; `permanent` failures were not retried. */
export interface ArchiveFailure {
  step: ArchiveFileKind | 'delete' | 'manifest';
  permanent: boolean;
  statusCode?: number;
  code: string;
  message: string;
}

export type ArchiveChunkFileResult =
  | (ArchivedFile & {
      ok: true;
      kind: ArchiveFileKind;
      archivedAt: string;
      /** The blob already held this exact, verified file: nothing was downloaded. */
      reusedExisting: boolean;
      resumes: number;
      /** Only for `metadata`: what the metadata document says (absent if it could not be parsed). */
      summary?: RecordingMetadataSummary;
      summaryError?: string;
    })
  | { ok: false; kind: ArchiveFileKind; failure: ArchiveFailure };

/** Input of the `deleteChunkSource` activity: re-verifies the blobs, then deletes the chunk at ACS. */
export interface DeleteChunkSourceInput {
  recordingId: string;
  serverCallId?: string;
  documentId: string;
  chunkIndex: number;
  deleteLocation: string;
  /** Blobs that must exist with exactly these sizes and MD5s before the source may be deleted. */
  verify: ArchivedFile[];
}

export type DeleteChunkSourceResult =
  | { ok: true; deletedAt: string; alreadyDeleted: boolean }
  | { ok: false; failure: ArchiveFailure };

export type ChunkStatus = 'archived' | 'failed';

/** The outcome of one chunk, as reported in the orchestration output and the manifest. */
export interface ChunkOutcome {
  index: number;
  documentId: string;
  endReason: string;
  status: ChunkStatus;
  media?: ArchivedFile;
  metadata?: ArchivedFile;
  summary?: RecordingMetadataSummary;
  archivedAt?: string;
  sourceDeleted: boolean;
  sourceDeletedAt?: string;
  failures: ArchiveFailure[];
}

/** Input of the `writeRecordingManifest` activity. */
export interface WriteRecordingManifestInput {
  recording: RecordingRef;
  blobPrefix: string;
  instanceId: string;
  sourceEventId: string;
  completedAt: string;
  chunks: ChunkOutcome[];
}

export interface WriteRecordingManifestResult {
  blobName: string;
  sizeBytes: number;
  chunkCount: number;
}

export type RecordingArchiveStatus = 'archived' | 'partial' | 'failed' | 'empty';

/** Output (and, in smaller form, custom status) of the `archiveRecording` orchestration. */
export interface ArchiveRecordingOutput {
  recordingId: string;
  serverCallId?: string;
  status: RecordingArchiveStatus;
  manifestBlobName?: string;
  manifestError?: string;
  chunksTotal: number;
  chunksArchived: number;
  chunksFailed: number;
  sourcesDeleted: number;
  chunks: ChunkOutcome[];
}

/** Custom status while the orchestration runs: progress only, kept well under Durable's 16 KB limit. */
export interface ArchiveRecordingStatus {
  phase: 'archiving' | 'writingManifest' | 'done';
  chunksTotal: number;
  chunksArchived: number;
  chunksFailed: number;
  sourcesDeleted: number;
  chunks: { index: number; status: ChunkStatus | 'pending'; sourceDeleted: boolean }[];
}
