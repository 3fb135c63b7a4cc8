// The control API addresses a recording by `{id}` = base64url of its ACS recording ID (see base64Url.ts).
import { recordingIdProblem } from '../shared/acsIds.js';
import { ValidationError } from '../shared/errors.js';
import { decodeBase64Url, encodeBase64Url } from './base64Url.js';

/** The `{id}` route value of an ACS recording ID. */
export function toRecordingRouteId(recordingId: string): string {
  return encodeBase64Url(recordingId);
}

/**
 * The ACS recording ID addressed by a `{id}` route value. A value that is not canonical base64url, or that decodes to
 * something no recording id can be (`.`, `..`, a backslash, control characters, too long), is a 400 before anything
 * is sent to ACS.
 */
export function fromRecordingRouteId(id: string | undefined): string {
  const recordingId = id === undefined ? undefined : decodeBase64Url(id);
  if (!recordingId) {
    throw new ValidationError(
      'The recording {id} must be the base64url (RFC 4648 §5, no padding) of the ACS recording ID, e.g. ' +
        "Buffer.from(recordingId, 'utf8').toString('base64url')",
      { id: id ?? null },
    );
  }
  const problem = recordingIdProblem(recordingId);
  if (problem) throw new ValidationError(`The recording {id} decodes to a recording ID that ${problem}`, { id: id ?? null });
  return recordingId;
}
