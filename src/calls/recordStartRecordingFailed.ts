// StartRecordingFailed → the recording row says `failed` (with ACS's resultInformation), and the call's claim is
// released (`failed`) so a redelivered CallConnected or an API call may start a new recording.
import type { Logger } from '../shared/logging.js';
import type { StartRecordingFailedEvent } from './callAutomationEvents.js';
import { callRow, recordingRow, type CallStateStore } from './CallStateStore.js';
import type { CallRecord, RecordingRecord } from './callStateModels.js';
import { isOlderEvent } from './isOlderEvent.js';
import { mutateRow } from './mutateRow.js';

export async function recordStartRecordingFailed(store: CallStateStore, event: StartRecordingFailedEvent, now: Date, log: Logger): Promise<void> {
  const at = event.time ?? now.toISOString();
  const nowIso = now.toISOString();
  const info = event.resultInformation;
  const failure = {
    failureCode: info?.code === undefined ? undefined : String(info.code),
    failureSubCode: info?.subCode === undefined ? undefined : String(info.subCode),
    failureMessage: info?.message?.slice(0, 1000),
  };
  const { recordingId } = event;
  if (recordingId) {
    await mutateRow(recordingRow(store, recordingId), (current): RecordingRecord => {
      const stale = isOlderEvent(at, current?.stateChangedAt);
      return {
        ...current,
        recordingId,
        serverCallId: event.serverCallId,
        callConnectionId: current?.callConnectionId ?? event.callConnectionId,
        correlationId: current?.correlationId ?? event.correlationId,
        ...(stale ? {} : { state: 'failed', stateChangedAt: at, lastEventType: event.kind, lastEventAt: at }),
        ...failure,
        updatedAt: nowIso,
      };
    });
  }
  await mutateRow(callRow(store, event.serverCallId), (current): CallRecord | undefined => {
    // A failure of an older recording must not release the claim of a newer one.
    if (current?.recordingId && recordingId && current.recordingId !== recordingId) return undefined;
    if (current?.status === 'failed') return undefined;
    return {
      attempts: 0,
      ...current,
      serverCallId: event.serverCallId,
      status: 'failed',
      recordingId: recordingId ?? current?.recordingId,
      correlationId: current?.correlationId ?? event.correlationId,
      failureCode: failure.failureCode ?? 'StartRecordingFailed',
      failureMessage: failure.failureMessage,
      updatedAt: nowIso,
    };
  });
  log.warn('StartRecordingFailed recorded; the call may be retried', { ...failure, eventTime: at });
}
