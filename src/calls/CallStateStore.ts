// The contract of the call/recording state store, and its rows as mutateRow writes them. Every write is conditional
// (insert-if-absent or ETag-matched replace), because many instances process callbacks for the same call at the same
// time. The interface pays for itself: the Table Storage details stay in TableCallStateStore.ts, and tests wrap a
// real store (counting reads, injecting a writer in between) without mocking storage.
import type { ArchiveStatus, ChunkRecord } from './archiveStateModels.js';
import type { CallRecord, RecordingRecord, Versioned } from './callStateModels.js';
import type { RowOperations } from './mutateRow.js';
import type { IndexRow } from './recordingSummary.js';

/** A range query over the listing index rows (keys: recordingIndexKeys.ts), newest first. */
export interface IndexQuery {
  partition: { eq: string } | { ge: string; lt: string };
  rowKey: { ge?: string; lt?: string };
  /** Server-side filters on the rows in range. */
  callId?: string;
  archiveStatus?: ArchiveStatus;
  limit: number;
  /** The table service's continuation token of a previous page of this query. */
  continuationToken?: string;
  /** Service pages read at most (a selective filter may need many): then the page is returned short, with a token. */
  maxPages: number;
}

export interface IndexPage {
  rows: IndexRow[];
  continuationToken?: string;
}

/** Call and recording rows; implemented over Azure Table Storage by {@link TableCallStateStore}. */
export interface CallStateStore {
  getCall(serverCallId: string): Promise<Versioned<CallRecord> | undefined>;
  /** Inserts the row if none exists. Resolves with its ETag, or `undefined` when a row already exists. */
  insertCall(record: CallRecord): Promise<string | undefined>;
  /** Replaces the row if it still has `etag`. Resolves with the new ETag, or `undefined` when it changed or vanished. */
  replaceCall(record: CallRecord, etag: string): Promise<string | undefined>;

  getRecording(recordingId: string): Promise<Versioned<RecordingRecord> | undefined>;
  /** Recording writes also bring the recording's listing index rows up to date. */
  insertRecording(record: RecordingRecord): Promise<string | undefined>;
  replaceRecording(record: RecordingRecord, etag: string): Promise<string | undefined>;

  /** The recording's chunk rows, by index (one partition query). */
  listChunks(recordingId: string): Promise<Versioned<ChunkRecord>[]>;
  getChunk(recordingId: string, index: number): Promise<Versioned<ChunkRecord> | undefined>;
  insertChunk(record: ChunkRecord): Promise<string | undefined>;
  replaceChunk(record: ChunkRecord, etag: string): Promise<string | undefined>;

  queryIndex(query: IndexQuery): Promise<IndexPage>;
}

/** The call row of `serverCallId`, for mutateRow. */
export function callRow(store: CallStateStore, serverCallId: string): RowOperations<CallRecord> {
  return { get: () => store.getCall(serverCallId), insert: (v) => store.insertCall(v), replace: (v, etag) => store.replaceCall(v, etag) };
}

/** The recording row of `recordingId`, for mutateRow. */
export function recordingRow(store: CallStateStore, recordingId: string): RowOperations<RecordingRecord> {
  return { get: () => store.getRecording(recordingId), insert: (v) => store.insertRecording(v), replace: (v, etag) => store.replaceRecording(v, etag) };
}

/** The row of chunk `index` of `recordingId`, for mutateRow. */
export function chunkRow(store: CallStateStore, recordingId: string, index: number): RowOperations<ChunkRecord> {
  return { get: () => store.getChunk(recordingId, index), insert: (v) => store.insertChunk(v), replace: (v, etag) => store.replaceChunk(v, etag) };
}
