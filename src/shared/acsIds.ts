// The length caps of ACS identifiers wherever the app accepts them (callbacks, Event Grid events, the control API),
// and the characters no recording id may hold. ACS documents no maximum; the caps are far above every id seen
// (serverCallIds are ~200-character base64 URLs, recordingIds ~150-character base64 JSON, the others GUIDs) and keep
// every id storable as a Table Storage property, a blob metadata value and a URL path segment. See
// docs/callbacks-and-api.md, "Limits".

export const MAX_SERVER_CALL_ID_LENGTH = 2048;
export const MAX_RECORDING_ID_LENGTH = 1024;
export const MAX_CALL_CONNECTION_ID_LENGTH = 256;
export const MAX_CORRELATION_ID_LENGTH = 256;
/** The call id of a recording event's subject (a GUID). */
export const MAX_CALL_ID_LENGTH = 200;

/**
 * Why `recordingId` cannot be an ACS recording id, or undefined. It becomes a path segment of signed requests to ACS
 * (`/calling/recordings/{id}`): a dot segment (`.`, `..`) would address another path once URLs are normalised, and a
 * backslash or a control character has no place in a base64 id. (`/` is allowed: base64 ids contain it, and it is
 * percent-encoded in the path.)
 */
export function recordingIdProblem(recordingId: string): string | undefined {
  if (recordingId.length === 0) return 'is empty';
  if (recordingId.length > MAX_RECORDING_ID_LENGTH) return `is longer than ${MAX_RECORDING_ID_LENGTH} characters`;
  if (recordingId === '.' || recordingId === '..') return 'is a dot path segment';
  if (recordingId.includes('\\')) return 'contains a backslash';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(recordingId)) return 'contains a control character';
  return undefined;
}
