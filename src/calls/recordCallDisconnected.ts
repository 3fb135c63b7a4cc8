// The call is over: Call Automation's CallDisconnected, or Event Grid's CallEnded (which also brings the duration and
// the reason). Both mark the call row (no automatic start after this) and the row of the call's recording, if any.
import type { Logger } from '../shared/logging.js';
import type { CallDisconnectedEvent } from './callAutomationEvents.js';
import { callRow, recordingRow, type CallStateStore } from './CallStateStore.js';
import type { CallRecord, RecordingRecord } from './callStateModels.js';
import { mutateRow } from './mutateRow.js';
import type { CallEndedEvent } from './parseCallLifecycleEvent.js';
import { withoutUndefined } from '../shared/withoutUndefined.js';

interface CallOver {
  serverCallId: string;
  callConnectionId?: string;
  correlationId?: string;
  /** When the call ended (the event time). */
  at: string;
  /** CallEnded's details; undefined for CallDisconnected. */
  ended?: Pick<CallRecord, 'callDurationSeconds' | 'endReasonCode' | 'endReasonSubCode' | 'endReasonPhrase'>;
}

/** Resolves with the recording ID of the call, when one is known. */
export async function recordCallDisconnected(store: CallStateStore, event: CallDisconnectedEvent, now: Date, log: Logger): Promise<string | undefined> {
  const at = event.time ?? now.toISOString();
  const recordingId = await recordCallOver(store, { ...event, at }, now);
  log.info('CallDisconnected recorded', { recordingId, eventTime: at });
  return recordingId;
}

/** CallEnded: also stores `endedAt`, the duration and the reason. Resolves with the call's recording ID, when known. */
export async function recordCallEnded(store: CallStateStore, event: CallEndedEvent, now: Date, log: Logger): Promise<string | undefined> {
  const at = event.eventTime ?? now.toISOString();
  const ended = {
    callDurationSeconds: event.durationSeconds,
    endReasonCode: event.reason?.code,
    endReasonSubCode: event.reason?.subCode,
    endReasonPhrase: event.reason?.phrase,
  };
  const recordingId = await recordCallOver(store, { ...event, at, ended }, now);
  log.info('CallEnded recorded', { recordingId, eventTime: at, durationSeconds: event.durationSeconds, reasonCode: event.reason?.code });
  return recordingId;
}

async function recordCallOver(store: CallStateStore, over: CallOver, now: Date): Promise<string | undefined> {
  const nowIso = now.toISOString();
  const endedFields = over.ended ? withoutUndefined({ endedAt: over.at, ...over.ended }) : {};
  const call = await mutateRow(callRow(store, over.serverCallId), (current): CallRecord | undefined => {
    // Redeliveries change nothing: the first report of each kind wins.
    if (over.ended ? current?.endedAt : current?.disconnectedAt) return undefined;
    return current
      ? { ...current, disconnectedAt: current.disconnectedAt ?? over.at, ...endedFields, updatedAt: nowIso }
      : {
          serverCallId: over.serverCallId,
          status: 'disconnected',
          callConnectionId: over.callConnectionId,
          correlationId: over.correlationId,
          attempts: 0,
          disconnectedAt: over.at,
          ...endedFields,
          updatedAt: nowIso,
        };
  });
  const recordingId = call?.recordingId;
  if (recordingId) {
    await mutateRow(recordingRow(store, recordingId), (current): RecordingRecord | undefined =>
      current && !current.callDisconnectedAt ? { ...current, callDisconnectedAt: over.at, updatedAt: nowIso } : undefined,
    );
  }
  return recordingId;
}
