// Binds a store's call/recording/chunk methods to one row, for mutateRow.
import type { CallStateStore } from './CallStateStore.js';
import type { ChunkRecord } from './archiveStateModels.js';
import type { CallRecord, RecordingRecord } from './callStateModels.js';
import type { RowOperations } from './mutateRow.js';

export function callRow(store: CallStateStore, serverCallId: string): RowOperations<CallRecord> {
  return {
    get: () => store.getCall(serverCallId),
    insert: (v) => store.insertCall(v),
    replace: (v, etag) => store.replaceCall(v, etag),
  };
}

export function recordingRow(store: CallStateStore, recordingId: string): RowOperations<RecordingRecord> {
  return {
    get: () => store.getRecording(recordingId),
    insert: (v) => store.insertRecording(v),
    replace: (v, etag) => store.replaceRecording(v, etag),
  };
}

export function chunkRow(store: CallStateStore, recordingId: string, index: number): RowOperations<ChunkRecord> {
  return {
    get: () => store.getChunk(recordingId, index),
    insert: (v) => store.insertChunk(v),
    replace: (v, etag) => store.replaceChunk(v, etag),
  };
}
