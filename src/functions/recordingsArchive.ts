// POST /api/recordings/{id}/archive — re-drive a recording's archive ({id} = base64url recording ID): from its stored
// plan, or from the `{ "event": … }` in the body (a dead-lettered RecordingFileStatusUpdated, validated as the trigger
// validates it). 202 + Location when started, 200 when every chunk is already archived (nothing started), 404 with
// neither a plan nor an event, 409 while an archive of it runs, 400 for an invalid id or event.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { parseRedriveBody } from '../archive/parseRedriveBody.js';
import { redriveArchive } from '../archive/redriveArchive.js';
import { readJsonBody } from '../calls/readJsonBody.js';
import { ARCHIVE_RECORDING_ROUTE, recordingPath } from '../calls/recordingRoutes.js';
import { fromRecordingRouteId } from '../calls/recordingIdEncoding.js';
import { toApiResponse } from '../calls/toApiResponse.js';
import { getConfig } from '../config.js';
import { HttpError } from '../shared/errors.js';
import { contextLogger } from '../shared/logging.js';

export async function handleRedriveArchive(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  let log = contextLogger(context);
  try {
    const id = request.params.id;
    const recordingId = fromRecordingRouteId(id);
    log = log.with({ recordingId });
    const config = getConfig();
    const text = await request.text(); // the body is optional: empty means "from the stored plan"
    const body = text.trim() === '' ? undefined : await readJsonBody({ headers: request.headers, text: () => Promise.resolve(text) });
    const event = parseRedriveBody(body, recordingId, config.mediaAllowedOrigins);
    if (event) log = log.with({ serverCallId: event.recording.serverCallId, eventId: event.eventId });
    const result = await redriveArchive(df.getClient(context), recordingId, event, { logger: log, settings: config });
    switch (result.kind) {
      case 'notFound':
        throw new HttpError(404, 'ArchivePlanNotFound', 'No archive plan is stored for this recording; send its RecordingFileStatusUpdated event as { "event": … }');
      case 'running':
        throw new HttpError(409, 'ArchiveRunning', 'An archive of this recording is running; wait for it to finish', { instanceId: result.instanceId, runtimeStatus: result.runtimeStatus });
      case 'alreadyArchived':
        return { status: 200, jsonBody: { id, recordingId, instanceId: result.instanceId, status: 'archived' } };
      case 'started':
        return {
          status: 202,
          headers: { Location: recordingPath(id!) },
          jsonBody: { id, recordingId, instanceId: result.instanceId, status: 'archiving', deadline: result.deadline, chunksToArchive: result.chunksToArchive },
        };
    }
  } catch (e) {
    return toApiResponse(e, log);
  }
}

app.http('redriveArchive', {
  route: ARCHIVE_RECORDING_ROUTE,
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: handleRedriveArchive,
});
