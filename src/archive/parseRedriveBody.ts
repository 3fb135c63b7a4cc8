// The optional body of POST /api/recordings/{id}/archive: nothing, or `{ "event": <one RecordingFileStatusUpdated
// event> }` validated exactly as the Event Grid trigger validates it (same parser, same URL allow-list). The event
// must be of the recording the route names.
import { ValidationError } from '../shared/errors.js';
import { InvalidRecordingEventError } from './archiveErrors.js';
import { parseRecordingFileStatusUpdated, type RecordingFileStatusUpdated } from './parseRecordingFileStatusUpdated.js';

/** The event of a re-drive body (undefined for an empty body or `{}`); anything invalid is a 400 ValidationError. */
export function parseRedriveBody(body: unknown, recordingId: string, allowedOrigins: readonly string[]): RecordingFileStatusUpdated | undefined {
  if (body === undefined) return undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('The body must be a JSON object: {} or { "event": <RecordingFileStatusUpdated event> }');
  }
  const unknownKeys = Object.keys(body).filter((k) => k !== 'event');
  if (unknownKeys.length > 0) throw new ValidationError('Unknown fields in the body; only "event" is accepted', { fields: unknownKeys });
  const { event } = body as { event?: unknown };
  if (event === undefined) return undefined;
  let parsed;
  try {
    parsed = parseRecordingFileStatusUpdated(event, allowedOrigins);
  } catch (e) {
    if (e instanceof InvalidRecordingEventError) throw new ValidationError(e.message, { eventId: e.eventId ?? null, issues: e.issues });
    throw e;
  }
  if (parsed.kind === 'ignored') {
    throw new ValidationError(`The event is a ${parsed.eventType ?? 'event of unknown type'}, not a RecordingFileStatusUpdated event`, { eventId: parsed.eventId ?? null });
  }
  if (parsed.event.recording.recordingId !== recordingId) {
    throw new ValidationError('The event is of another recording than the one in the route', { eventRecordingId: parsed.event.recording.recordingId });
  }
  return parsed.event;
}
