// RecordingStateChanged → the recording row (newest event wins) and, if needed, the call row (so a recording that
// ACS reports as running blocks further auto-starts even when this app never saw its start succeed).
import type { Logger } from '../shared/logging.js';
import type { RecordingStateChangedEvent } from './callAutomationEvents.js';
import { callRow, recordingRow, type CallStateStore } from './CallStateStore.js';
import type { CallRecord, RecordingRecord } from './callStateModels.js';
import { isOlderEvent } from './isOlderEvent.js';
import { mutateRow } from './mutateRow.js';

export async function recordRecordingStateChanged(store: CallStateStore, event: RecordingStateChangedEvent, now: Date, log: Logger): Promise<void> {
  const at = event.time ?? now.toISOString();
  const nowIso = now.toISOString();
  let stale = false;
  await mutateRow(recordingRow(store, event.recordingId), (current): RecordingRecord => {
    // Deliveries are unordered: an older event only fills gaps; a stopped recording keeps "stopped". The call
    // identity fields keep their first-seen values.
    stale = isOlderEvent(at, current?.stateChangedAt);
    const keepState = stale || current?.stoppedAt !== undefined;
    return {
      ...current,
      recordingId: event.recordingId,
      serverCallId: event.serverCallId,
      callConnectionId: current?.callConnectionId ?? event.callConnectionId,
      correlationId: current?.correlationId ?? event.correlationId,
      state: keepState ? current?.state : event.state,
      stateChangedAt: keepState ? current?.stateChangedAt : at,
      recordingKind: event.recordingKind ?? current?.recordingKind,
      lastEventType: stale ? current?.lastEventType : event.kind,
      lastEventAt: stale ? current?.lastEventAt : at,
      updatedAt: nowIso,
    };
  });
  await mutateRow(callRow(store, event.serverCallId), (current): CallRecord | undefined => {
    if (current && current.status !== 'failed') return undefined;
    return {
      attempts: 0,
      ...current,
      serverCallId: event.serverCallId,
      status: 'started',
      recordingId: event.recordingId,
      callConnectionId: current?.callConnectionId ?? event.callConnectionId,
      correlationId: current?.correlationId ?? event.correlationId,
      updatedAt: nowIso,
    };
  });
  log.info('RecordingStateChanged recorded', { state: event.state, recordingKind: event.recordingKind, eventTime: at, outOfOrder: stale });
}
