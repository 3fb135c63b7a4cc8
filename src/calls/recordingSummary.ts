// The summary of a recording that the listing answers with, and the index rows that hold it (recordingIndexKeys.ts):
// derived from the recording row on every write of it, so a listing page reads index rows only.
import { z } from 'zod';
import { ARCHIVE_STATUSES, type ArchiveStatus } from './archiveStateModels.js';
import type { RecordingRecord } from './callStateModels.js';
import { toRecordingRouteId } from './recordingIdEncoding.js';
import { withoutUndefined } from '../shared/withoutUndefined.js';

export const indexRowSchema = z.object({
  recordingId: z.string(),
  serverCallId: z.string().optional(),
  callId: z.string().optional(),
  startedAt: z.string(),
  recordingState: z.string().optional(),
  archiveStatus: z.enum(ARCHIVE_STATUSES).catch('notStarted'),
  archiveChunksTotal: z.number().int().default(0),
  archiveChunksArchived: z.number().int().default(0),
  archiveChunksFailed: z.number().int().default(0),
  archiveTotalBytes: z.number().default(0),
  /** The recording row's revision this row was derived from: an older one never overwrites a newer one. */
  revision: z.number().int().default(0),
  updatedAt: z.string(),
});
export type IndexRow = z.infer<typeof indexRowSchema>;

/** One item of `GET /api/recordings`. */
export interface RecordingSummary {
  id: string;
  recordingId: string;
  serverCallId?: string;
  callId?: string;
  startedAt: string;
  recordingState: string | null;
  archive: { status: ArchiveStatus; chunksTotal: number; chunksArchived: number; chunksFailed: number; totalBytes: number };
}

/** The time a recording is listed under: its start as first known (fixed on the row by the store). */
export function indexTime(record: RecordingRecord): string {
  const first = record.indexedAt ?? record.startedAt ?? record.stateChangedAt;
  return first !== undefined && !Number.isNaN(Date.parse(first)) ? new Date(first).toISOString() : record.updatedAt;
}

/** The recording's state as the control API reports it without asking ACS. */
export function storedRecordingState(record: RecordingRecord | undefined): string | undefined {
  return record?.stoppedAt ? 'stopped' : record?.state;
}

export function indexRowOf(record: RecordingRecord, revision: number): IndexRow {
  return withoutUndefined({
    recordingId: record.recordingId,
    serverCallId: record.serverCallId,
    callId: record.callId,
    startedAt: indexTime(record),
    recordingState: storedRecordingState(record),
    archiveStatus: record.archiveStatus ?? 'notStarted',
    archiveChunksTotal: record.archiveChunksTotal ?? 0,
    archiveChunksArchived: record.archiveChunksArchived ?? 0,
    archiveChunksFailed: record.archiveChunksFailed ?? 0,
    archiveTotalBytes: record.archiveTotalBytes ?? 0,
    revision,
    updatedAt: record.updatedAt,
  });
}

export function toRecordingSummary(row: IndexRow): RecordingSummary {
  return withoutUndefined({
    id: toRecordingRouteId(row.recordingId),
    recordingId: row.recordingId,
    serverCallId: row.serverCallId,
    callId: row.callId,
    startedAt: row.startedAt,
    recordingState: row.recordingState ?? null,
    archive: {
      status: row.archiveStatus,
      chunksTotal: row.archiveChunksTotal,
      chunksArchived: row.archiveChunksArchived,
      chunksFailed: row.archiveChunksFailed,
      totalBytes: row.archiveTotalBytes,
    },
  });
}
