// GET /api/recordings/{id} — stored state plus ACS's live state of a recording ({id} = base64url recording ID).
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { RECORDING_ROUTE } from '../calls/recordingRoutes.js';
import { runRecordingOperation } from '../calls/runRecordingOperation.js';

export function handleGetRecording(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return runRecordingOperation(request, context, (service, recordingId, log) => service.getRecording(recordingId, log), 200);
}

app.http('getRecording', { route: RECORDING_ROUTE, methods: ['GET'], authLevel: 'function', handler: handleGetRecording });
