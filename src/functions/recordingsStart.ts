// POST /api/recordings — start a recording of a call (by serverCallId or callConnectionId) → 201 with both ID forms.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { recordingService } from '../calls/callServices.js';
import { parseStartRecordingBody } from '../calls/parseStartRecordingBody.js';
import { readJsonBody } from '../calls/readJsonBody.js';
import { recordingPath, RECORDINGS_ROUTE } from '../calls/recordingRoutes.js';
import { toApiResponse } from '../calls/toApiResponse.js';
import { getConfig } from '../config.js';
import { contextLogger } from '../shared/logging.js';

export async function handleStartRecording(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  let log = contextLogger(context);
  try {
    const command = parseStartRecordingBody(await readJsonBody(request), getConfig().recordingDefaults);
    log = log.with('serverCallId' in command.target ? { serverCallId: command.target.serverCallId } : { callConnectionId: command.target.callConnectionId });
    const view = await recordingService.get().startRecording(command, log);
    return { status: 201, headers: { Location: recordingPath(view.id) }, jsonBody: view };
  } catch (e) {
    return toApiResponse(e, log);
  }
}

app.http('startRecording', { route: RECORDINGS_ROUTE, methods: ['POST'], authLevel: 'function', handler: handleStartRecording });
