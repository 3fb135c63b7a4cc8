// CallDisconnected → the call row (no auto-start after this) and the row of the call's recording, if any.
import type { Logger } from '../shared/logging.js';
import type { CallDisconnectedEvent } from './callAutomationEvents.js';
import type { CallStateStore } from './CallStateStore.js';
import type { CallRecord, RecordingRecord } from './callStateModels.js';
import { mutateRow } from './mutateRow.js';
import { callRow, recordingRow } from './rowOperations.js';

/** Resolves with the recording ID of the call, when one is known. */
export async function recordCallDisconnected(store: CallStateStore, event: CallDisconnectedEvent, now: Date, log: Logger): Promise<string | undefined> {
  const at = event.time ?? now.toISOString();
  const nowIso = now.toISOString();
  const call = await mutateRow(callRow(store, event.serverCallId), (current): CallRecord | undefined => {
    if (current?.disconnectedAt) return undefined;
    return current
      ? { ...current, disconnectedAt: at, updatedAt: nowIso }
      : {
          serverCallId: event.serverCallId,
          status: 'disconnected',
          callConnectionId: event.callConnectionId,
          correlationId: event.correlationId,
          attempts: 0,
          disconnectedAt: at,
          updatedAt: nowIso,
        };
  });
  const recordingId = call?.recordingId;
  if (recordingId) {
    await mutateRow(recordingRow(store, recordingId), (current): RecordingRecord | undefined =>
      current && !current.callDisconnectedAt ? { ...current, callDisconnectedAt: at, updatedAt: nowIso } : undefined,
    );
  }
  log.info('CallDisconnected recorded', { recordingId, eventTime: at });
  return recordingId;
}
