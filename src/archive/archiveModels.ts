// The shapes of the archive: what travels through Durable (orchestration input/output, activity inputs/results) and
// what the manifest is built from. The archive plan (what stays in storage for the activities) is in archivePlan.ts.
//
// Everything that travels through Durable is recorded in the orchestration history, once per scheduled activity and
// once per result, and replayed on every episode. So it stays SMALL and bounded per chunk: the long, repeated
// strings (recording and server call ids, URLs, blob names, participants) live in the archive plan blob the trigger
// writes and in the archived blobs themselves; Durable carries only a plan id, chunk indexes, flags, timestamps and
// compact outcome records. Everything here survives a JSON round-trip (no Dates, no bytes).
import type { RecordingRef } from './archivePlan.js';

/** Retry policy for activities (mirrors Durable's RetryOptions fields the host reads). */
export interface ArchiveRetryPolicy {
  firstRetryIntervalMs: number;
  backoffCoefficient: number;
  maxRetryIntervalMs: number;
  maxAttempts: number;
}

/** A chunk whose last attempt failed transiently: it waits on a durable timer for its next attempt. */
export interface WaitingChunk {
  index: number;
  /** Attempts made so far (all failed transiently). */
  attempts: number;
  /** When the next attempt is due (never after the deadline). */
  nextAttemptAt: string;
  /** The last attempt's failure (bounded like every failure record). */
  failure: ArchiveFailure;
}

/**
 * The state one execution of the orchestration hands the next through `continueAsNew` (one execution per retry
 * round, so the history of each stays bounded however long an outage lasts). Also the one place that says which
 * chunks wait, until when, and which are done with what: the custom status is built from it.
 */
export interface ArchiveProgress {
  /** 1 for the first execution, +1 per `continueAsNew`. */
  round: number;
  /** Chunks that are done: archived, or failed for good (permanent failure, or the deadline passed). */
  settled: ChunkOutcomeRecord[];
  waiting: WaitingChunk[];
}

/** Input of the `archiveRecording` orchestration. Settings are passed in: orchestrators must not read env. */
export interface ArchiveRecordingInput {
  /** The archive plan to work from (see `ArchivePlan` in archivePlan.ts). */
  planId: string;
  /** For logs and the output only; the plan has the full recording. */
  recordingId: string;
  serverCallId?: string;
  /** The plan's chunk indexes, ascending: what the orchestration fans out over. */
  chunkIndexes: number[];
  /** The Event Grid event that started the archive (for the manifest). */
  sourceEventId: string;
  /**
   * Until when transient failures of a chunk are retried (ISO time): the event's time (or the re-drive's) plus
   * ARCHIVE_RETRY_HORIZON_HOURS. A chunk still failing then is recorded as failed (`DeadlinePassed`), source kept.
   */
  deadline: string;
  /** Absent on the first execution; carried by `continueAsNew` (and pre-filled by a re-drive with settled chunks). */
  progress?: ArchiveProgress;
  options: {
    chunkConcurrency: number;
    deleteSource: boolean;
    /** Durable retries of the manifest activity (default DEFAULT_ARCHIVE_RETRY). Chunks retry until the deadline. */
    retry?: ArchiveRetryPolicy;
  };
}

export type ArchiveFileKind = 'content' | 'metadata';

/**
 * Input of the `archiveChunk` activity: archive both files of one chunk (verified), then, if `deleteSource`,
 * re-check both blobs and delete the chunk at ACS.
 */
export interface ArchiveChunkInput {
  planId: string;
  chunkIndex: number;
  deleteSource: boolean;
}

/** A failure recorded for a chunk; `permanent` failures were not retried. */
export interface ArchiveFailure {
  /** `chunk`: the chunk's activity failed after all retries at a step it did not report. */
  step: ArchiveFileKind | 'delete' | 'manifest' | 'chunk';
  permanent: boolean;
  statusCode?: number;
  code: string;
  message: string;
}

/**
 * Result of the `archiveChunk` activity: a compact outcome record. Optional fields are left out when empty, so a
 * clean chunk costs `{"archived":true,"archivedAt":…,"deletedAt":…}` in the history.
 */
export interface ArchiveChunkResult {
  /** Both files are in the archive, verified (size + MD5). */
  archived: boolean;
  archivedAt?: string;
  /** Set when the source at ACS is gone: deleted now, or found already deleted (404/410). */
  deletedAt?: string;
  /** Files (0–2) that were already archived and verified, so nothing was downloaded for them. */
  reused?: number;
  /** Range resumes after a broken download, summed over both files. */
  resumes?: number;
  failures?: ArchiveFailure[];
}

/** What the orchestration keeps per chunk and hands to the manifest activity. */
export interface ChunkOutcomeRecord {
  index: number;
  archived: boolean;
  archivedAt?: string;
  deletedAt?: string;
  failures?: ArchiveFailure[];
}

/** Input of the `writeRecordingManifest` activity; everything else comes from the plan and the archived blobs. */
export interface WriteRecordingManifestInput {
  planId: string;
  instanceId: string;
  sourceEventId: string;
  completedAt: string;
  /** One record per chunk of the plan (any order). */
  chunks: ChunkOutcomeRecord[];
}

/**
 * Per-chunk status codes, one character per chunk in index order:
 * `D` archived and source deleted, `A` archived and source kept (deletion off, or the delete failed),
 * `F` not archived (source kept), `P` pending and `W` waiting to retry after a transient failure (custom status only).
 */
export type ChunkStatusCode = 'D' | 'A' | 'F' | 'P' | 'W';

export interface WriteRecordingManifestResult {
  blobName: string;
  sizeBytes: number;
  chunkCount: number;
  /** This instance's chunks as the manifest records them (archive state read back from storage). */
  chunkStatus: string;
}

/** A verified blob in the archive. */
export interface ArchivedFile {
  blobName: string;
  sizeBytes: number;
  md5Base64: string;
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

export type ChunkStatus = 'archived' | 'failed';

/** Everything the manifest says about one chunk, assembled by the manifest activity (never sent through Durable). */
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

/** What the manifest is built from (pure input of `buildRecordingManifest`). */
export interface RecordingManifestSource {
  recording: RecordingRef;
  blobPrefix: string;
  instanceId: string;
  sourceEventId: string;
  completedAt: string;
  chunks: ChunkOutcome[];
}

export type RecordingArchiveStatus = 'archived' | 'partial' | 'failed' | 'empty';

/** Output of the `archiveRecording` orchestration: counts and status codes; the manifest has the detail. */
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
  /** {@link ChunkStatusCode} per chunk, in index order. */
  chunkStatus: string;
}

/** Custom status while the orchestration runs: progress only, one character per chunk (Durable's limit is 16 KB). */
export interface ArchiveRecordingStatus {
  phase: 'archiving' | 'waitingToRetry' | 'writingManifest' | 'done';
  /** The retry round (execution) this status is from. */
  round: number;
  deadline: string;
  /** When the next attempt of a waiting chunk (`W` in chunkStatus) is due; absent when none waits. */
  nextAttemptAt?: string;
  chunksWaiting: number;
  chunksTotal: number;
  chunksArchived: number;
  chunksFailed: number;
  sourcesDeleted: number;
  /** {@link ChunkStatusCode} per chunk, in index order. */
  chunkStatus: string;
}
