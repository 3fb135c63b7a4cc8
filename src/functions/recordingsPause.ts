// POST /api/recordings/{id}/pause — ACS accepts (202) and applies it asynchronously (RecordingStateChanged follows).
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { PAUSE_RECORDING_ROUTE } from '../calls/recordingRoutes.js';
import { runRecordingOperation } from '../calls/runRecordingOperation.js';

export function handlePauseRecording(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return runRecordingOperation(request, context, (service, recordingId, log) => service.pauseRecording(recordingId, log), 202);
}

app.http('pauseRecording', { route: PAUSE_RECORDING_ROUTE, methods: ['POST'], authLevel: 'function', handler: handlePauseRecording });
