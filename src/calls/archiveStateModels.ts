// What the state table knows about a recording's archive, so `GET /api/recordings/{id}` answers "where is my
// recording, and is it safe?" from table reads alone: a summary on the recording row (see callStateModels.ts) and one
// row per chunk in the recording's partition (RowKey `chunk-0000000000`), written by the trigger, the `archiveChunk`
// activity and the `recordArchiveStatus` activity as the work progresses. A row per chunk keeps every entity far
// below Table Storage's limits (64 KiB per property, 1 MiB and 252 properties per entity) for any chunk count.
import { z } from 'zod';

/** The archive of a recording: `notStarted` until its file event arrived; `archived` when every chunk is verified. */
export const ARCHIVE_STATUSES = ['notStarted', 'archiving', 'waitingToRetry', 'archived', 'partial', 'failed'] as const;
export type ArchiveStatus = (typeof ARCHIVE_STATUSES)[number];

/** Statuses after which the orchestration has finished (a re-drive may start over). */
export const FINAL_ARCHIVE_STATUSES: readonly ArchiveStatus[] = ['archived', 'partial', 'failed'];

export const CHUNK_STATUSES = ['pending', 'archiving', 'waitingToRetry', 'archived', 'failed'] as const;
export type ChunkArchiveStatus = (typeof CHUNK_STATUSES)[number];

/** Failures kept per chunk row (newest last); each is bounded by the archive's own failure-record limits. */
export const MAX_CHUNK_FAILURES = 5;

export const chunkFailureSchema = z.object({
  step: z.string(),
  permanent: z.boolean(),
  statusCode: z.number().optional(),
  code: z.string(),
  message: z.string(),
});
export type ChunkFailure = z.infer<typeof chunkFailureSchema>;

/** JSON column of failures: unreadable content degrades to none instead of failing the read. */
const failuresColumn = z
  .string()
  .optional()
  .transform((s) => {
    if (!s) return undefined;
    try {
      const parsed = z.array(chunkFailureSchema).safeParse(JSON.parse(s));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  });

export const chunkRecordSchema = z.object({
  recordingId: z.string(),
  index: z.number().int(),
  documentId: z.string(),
  status: z.enum(CHUNK_STATUSES).catch('pending'),
  mediaBlobName: z.string().optional(),
  mediaSize: z.number().optional(),
  mediaContentMD5: z.string().optional(),
  metadataBlobName: z.string().optional(),
  metadataSize: z.number().optional(),
  metadataContentMD5: z.string().optional(),
  archivedAt: z.string().optional(),
  sourceDeletedAt: z.string().optional(),
  failures: failuresColumn,
  updatedAt: z.string(),
});
/** One chunk's archive state (row `chunk-{index}` in the recording's partition). */
export type ChunkRecord = Omit<z.infer<typeof chunkRecordSchema>, 'failures'> & { failures?: ChunkFailure[] };

/** What is written for a chunk: failures go into one bounded JSON column. */
export function chunkEntityFields(record: ChunkRecord): Record<string, unknown> {
  const { failures, ...rest } = record;
  return { ...rest, failures: failures?.length ? JSON.stringify(failures.slice(-MAX_CHUNK_FAILURES)) : undefined };
}
