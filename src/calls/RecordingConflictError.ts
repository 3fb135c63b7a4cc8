// 409 from the control API: the call already has a running recording, or another start of it is in progress.
import { HttpError } from '../shared/errors.js';
import { toRecordingRouteId } from './recordingIdEncoding.js';

export class RecordingConflictError extends HttpError {
  override name = 'RecordingConflictError';
  constructor(
    readonly reason: 'alreadyStarted' | 'startInProgress',
    /** The call's current recording, when known. */
    readonly recordingId?: string,
  ) {
    super(
      409,
      reason === 'alreadyStarted' ? 'RecordingAlreadyStarted' : 'RecordingStartInProgress',
      reason === 'alreadyStarted' ? 'A recording of this call is already running; stop it first' : 'A recording of this call is being started right now',
      recordingId ? { id: toRecordingRouteId(recordingId), recordingId } : undefined,
    );
  }
}
