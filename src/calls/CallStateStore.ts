// The contract of the call/recording state store. Every write is conditional (insert-if-absent or ETag-matched
// replace), because many instances process callbacks for the same call at the same time.
import type { CallRecord, RecordingRecord, Versioned } from './callStateModels.js';

/** Call and recording rows; implemented over Azure Table Storage by {@link TableCallStateStore}. */
export interface CallStateStore {
  getCall(serverCallId: string): Promise<Versioned<CallRecord> | undefined>;
  /** Inserts the row if none exists. Resolves with its ETag, or `undefined` when a row already exists. */
  insertCall(record: CallRecord): Promise<string | undefined>;
  /** Replaces the row if it still has `etag`. Resolves with the new ETag, or `undefined` when it changed or vanished. */
  replaceCall(record: CallRecord, etag: string): Promise<string | undefined>;

  getRecording(recordingId: string): Promise<Versioned<RecordingRecord> | undefined>;
  insertRecording(record: RecordingRecord): Promise<string | undefined>;
  replaceRecording(record: RecordingRecord, etag: string): Promise<string | undefined>;
}
