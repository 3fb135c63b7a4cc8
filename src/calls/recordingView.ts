// What the control API answers about a recording: both ID forms, the best-known state, the settings it was started
// with, the stored row, ACS's live answer when one was fetched, and the archive as the state table records it.
import type { RecordingStateResult } from '../acs/models.js';
import type { ChunkRecord } from './archiveStateModels.js';
import { archiveView, type ArchiveView } from './archiveView.js';
import type { RecordingRecord } from './callStateModels.js';
import { storedRecordingState } from './recordingSummary.js';
import { toRecordingRouteId } from './recordingIdEncoding.js';
import { withoutUndefined } from '../shared/withoutUndefined.js';

export interface RecordingView {
  /** base64url of `recordingId`: the `{id}` of `/api/recordings/{id}`. */
  id: string;
  /** The ACS recording ID (base64, may contain `/`, `+`, `=`). */
  recordingId: string;
  /** `stopped` after a stop through this API; else ACS's live state when known, else the stored one (`active`, `inactive`, `stopped`, `failed`), else null. */
  recordingState: string | null;
  recordingKind?: string;
  serverCallId?: string;
  callConnectionId?: string;
  correlationId?: string;
  content?: string;
  channel?: string;
  format?: string;
  pauseOnStart?: boolean;
  /** The state-table row (events and operations seen by this app), or null when this app has none. */
  stored: RecordingRecord | null;
  /** ACS's answer to GET recording, or null when ACS does not know the recording (e.g. after stop) or was not asked. */
  live: RecordingStateResult | null;
  /** Why `live` is missing when asking ACS failed for another reason than 404. */
  liveError?: { code: string; status: number | null };
  /** Where the recording's files are and whether each is safe, from the state table (`notStarted` before the file event). */
  archive: ArchiveView;
}

export function recordingView(
  recordingId: string,
  stored: RecordingRecord | undefined,
  live: RecordingStateResult | undefined,
  liveError?: RecordingView['liveError'],
  chunks: readonly ChunkRecord[] = [],
): RecordingView {
  const storedState = storedRecordingState(stored);
  return withoutUndefined({
    id: toRecordingRouteId(recordingId),
    recordingId,
    // A stop this app performed is final, whatever ACS still reports in the seconds after it.
    recordingState: stored?.stoppedAt ? 'stopped' : (live?.recordingState ?? storedState ?? null),
    recordingKind: live?.recordingKind ?? stored?.recordingKind,
    serverCallId: stored?.serverCallId,
    callConnectionId: stored?.callConnectionId,
    correlationId: stored?.correlationId,
    content: stored?.content,
    channel: stored?.channel,
    format: stored?.format,
    pauseOnStart: stored?.pauseOnStart,
    stored: stored ?? null,
    live: live ?? null,
    liveError,
    archive: archiveView(stored, chunks),
  });
}
