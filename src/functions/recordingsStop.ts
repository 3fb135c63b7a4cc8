// DELETE /api/recordings/{id} — stop a recording. Answers 200 with both ID forms (not 204) so the caller can
// correlate; the files follow as RecordingFileStatusUpdated (handled by the archive).
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { RECORDING_ROUTE } from '../calls/recordingRoutes.js';
import { runRecordingOperation } from '../calls/runRecordingOperation.js';

export function handleStopRecording(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return runRecordingOperation(request, context, (service, recordingId, log) => service.stopRecording(recordingId, log), 200);
}

app.http('stopRecording', { route: RECORDING_ROUTE, methods: ['DELETE'], authLevel: 'function', handler: handleStopRecording });
