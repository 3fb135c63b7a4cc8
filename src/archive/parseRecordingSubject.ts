// The identifiers of a recording as Event Grid puts them in the subject of RecordingFileStatusUpdated:
//   /recording/call/{callId}/serverCallId/{serverCallId}/recordingId/{recordingId}   (current, Learn)
//   /recording/call/{callId}/recordingId/{recordingId}                                (older examples)
// serverCallId and recordingId are base64 and may themselves contain '/', so the split is anchored on the markers
// (last `/recordingId/`, first `/serverCallId/`) rather than on slashes.

export interface RecordingSubject {
  callId: string;
  serverCallId?: string;
  recordingId: string;
}

const PREFIX = '/recording/call/';
const RECORDING_MARKER = '/recordingId/';
const SERVER_CALL_MARKER = '/serverCallId/';

/** Parses the subject, or returns undefined if it does not have one of the two documented shapes. */
export function parseRecordingSubject(subject: string): RecordingSubject | undefined {
  if (!subject.startsWith(PREFIX)) return undefined;
  const rest = subject.slice(PREFIX.length);
  const r = rest.lastIndexOf(RECORDING_MARKER);
  if (r < 0) return undefined;
  const recordingId = rest.slice(r + RECORDING_MARKER.length);
  const head = rest.slice(0, r);
  const s = head.indexOf(SERVER_CALL_MARKER);
  const callId = s < 0 ? head : head.slice(0, s);
  const serverCallId = s < 0 ? undefined : head.slice(s + SERVER_CALL_MARKER.length);
  if (!callId || callId.includes('/') || !recordingId || serverCallId === '') return undefined;
  return serverCallId === undefined ? { callId, recordingId } : { callId, serverCallId, recordingId };
}
