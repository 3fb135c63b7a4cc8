// POST /api/recordings/{id}/resume — ACS accepts (202) and applies it asynchronously (RecordingStateChanged follows).
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { RESUME_RECORDING_ROUTE } from '../calls/recordingRoutes.js';
import { runRecordingOperation } from '../calls/runRecordingOperation.js';

export function handleResumeRecording(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return runRecordingOperation(request, context, (service, recordingId, log) => service.resumeRecording(recordingId, log), 202);
}

app.http('resumeRecording', { route: RESUME_RECORDING_ROUTE, methods: ['POST'], authLevel: 'function', handler: handleResumeRecording });
