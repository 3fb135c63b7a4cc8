// What the state table holds: one row per call (the start claim and call lifecycle) and one row per recording (what
// the control API reports). Rows are flat primitives because that is what Table Storage stores; the schemas below
// are applied when reading, so a row written by an older or newer version degrades instead of crashing.
import { z } from 'zod';
import { ARCHIVE_STATUSES } from './archiveStateModels.js';

/**
 * Lifecycle of the call row, i.e. of "has a recording been started for this call?":
 * - `starting`: a start was claimed and ACS is being called (a stale claim may be taken over, see {@link CallRecord.claimedAt});
 * - `started`: ACS accepted the start and {@link CallRecord.recordingId} is set;
 * - `failed`: the start (or the recording, per `StartRecordingFailed`) failed; a later start may try again;
 * - `disconnected`: the call ended before any start was recorded.
 */
export const CALL_STATUSES = ['starting', 'started', 'failed', 'disconnected'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** Who started a recording: the CallConnected callback, the control API, or the Event Grid CallStarted event. */
export const STARTED_VIA = ['callback', 'api', 'callStarted'] as const;
export type StartedVia = (typeof STARTED_VIA)[number];

export const callRecordSchema = z.object({
  serverCallId: z.string(),
  status: z.enum(CALL_STATUSES),
  recordingId: z.string().optional(),
  callConnectionId: z.string().optional(),
  correlationId: z.string().optional(),
  startedVia: z.enum(STARTED_VIA).optional().catch(undefined),
  /** ISO time the current claim was taken. */
  claimedAt: z.string().optional(),
  /** Repeatability-Request-ID of the current claim: a takeover of a stale claim re-sends it so ACS deduplicates. */
  repeatabilityRequestId: z.string().optional(),
  repeatabilityFirstSent: z.string().optional(),
  /** Start attempts made for this call. */
  attempts: z.number().int().default(0),
  failureCode: z.string().optional(),
  failureMessage: z.string().optional(),
  disconnectedAt: z.string().optional(),
  /** From Event Grid `CallEnded`: when the call ended, how long it lasted and why. */
  endedAt: z.string().optional(),
  callDurationSeconds: z.number().optional(),
  endReasonCode: z.number().optional(),
  endReasonSubCode: z.number().optional(),
  endReasonPhrase: z.string().optional(),
  updatedAt: z.string(),
});
/** The call row, keyed by serverCallId. */
export type CallRecord = z.infer<typeof callRecordSchema>;

export const recordingRecordSchema = z.object({
  recordingId: z.string(),
  serverCallId: z.string().optional(),
  callConnectionId: z.string().optional(),
  correlationId: z.string().optional(),
  startedVia: z.enum(STARTED_VIA).optional().catch(undefined),
  startedAt: z.string().optional(),
  content: z.string().optional(),
  channel: z.string().optional(),
  format: z.string().optional(),
  pauseOnStart: z.boolean().optional(),
  /** `active` / `inactive` (ACS), or `stopped` / `failed` (this app's view). */
  state: z.string().optional(),
  /** Time of the event or operation that set {@link RecordingRecord.state}: older events never overwrite newer state. */
  stateChangedAt: z.string().optional(),
  recordingKind: z.string().optional(),
  lastEventType: z.string().optional(),
  lastEventAt: z.string().optional(),
  failureCode: z.string().optional(),
  failureSubCode: z.string().optional(),
  failureMessage: z.string().optional(),
  /** Last control operation accepted by ACS (`pause` / `resume` / `stop`) and when. */
  lastAction: z.string().optional(),
  lastActionAt: z.string().optional(),
  stoppedAt: z.string().optional(),
  callDisconnectedAt: z.string().optional(),
  /** The call id of the recording's file event subject (`/recording/call/{callId}/…`). */
  callId: z.string().optional(),
  /** The archive summary (archiveStateModels.ts has the per-chunk rows). Absent status: `notStarted`. */
  archiveStatus: z.enum(ARCHIVE_STATUSES).optional().catch(undefined),
  archiveInstanceId: z.string().optional(),
  archiveUpdatedAt: z.string().optional(),
  /** Until when transient failures are retried (the event time plus the retry horizon), when known. */
  archiveDeadline: z.string().optional(),
  archiveNextAttemptAt: z.string().optional(),
  archiveManifestBlobName: z.string().optional(),
  archiveChunksTotal: z.number().int().optional(),
  archiveChunksArchived: z.number().int().optional(),
  archiveChunksFailed: z.number().int().optional(),
  /** Bytes of the archived media and metadata blobs. */
  archiveTotalBytes: z.number().optional(),
  /** The start time the listing index files the recording under; fixed when the row is first written. */
  indexedAt: z.string().optional(),
  /** Incremented by the store on every write: orders the index rows derived from this row. */
  revision: z.number().int().optional(),
  updatedAt: z.string(),
});
/** The recording row, keyed by recordingId. */
export type RecordingRecord = z.infer<typeof recordingRecordSchema>;

/** A row and the ETag it was read or written with. */
export interface Versioned<T> {
  value: T;
  etag: string;
}
