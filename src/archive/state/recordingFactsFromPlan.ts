// What the archive plan tells the recording row about a recording that this app may never have seen (started outside
// the app): its ids, its start as ACS announced it and its settings. Values the row already has are kept.
import type { RecordingRecord } from '../../calls/callStateModels.js';
import type { ArchivePlan } from '../archivePlan.js';

export function recordingFactsFromPlan(current: RecordingRecord | undefined, plan: ArchivePlan): Pick<RecordingRecord, 'recordingId' | 'serverCallId' | 'callId' | 'startedAt' | 'content' | 'channel' | 'format'> {
  const r = plan.recording;
  return {
    recordingId: r.recordingId,
    serverCallId: current?.serverCallId ?? r.serverCallId,
    callId: current?.callId ?? r.callId,
    startedAt: current?.startedAt ?? r.recordingStartTime,
    content: current?.content ?? r.content,
    channel: current?.channel ?? r.channel,
    format: current?.format ?? r.format,
  };
}
