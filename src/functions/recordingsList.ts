// GET /api/recordings — the recordings this app knows, newest first, with filters and paging (summaries from the
// listing index rows of the state table; see src/calls/listRecordings.ts).
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { stateStore } from '../calls/callServices.js';
import { listRecordings } from '../calls/listRecordings.js';
import { parseListRecordingsQuery } from '../calls/parseListRecordingsQuery.js';
import { RECORDINGS_ROUTE } from '../calls/recordingRoutes.js';
import { toApiResponse } from '../calls/toApiResponse.js';
import { contextLogger } from '../shared/logging.js';

export async function handleListRecordings(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const log = contextLogger(context);
  try {
    const query = parseListRecordingsQuery(request.query);
    return { status: 200, jsonBody: await listRecordings(stateStore.get(), query) };
  } catch (e) {
    return toApiResponse(e, log);
  }
}

app.http('listRecordings', { route: RECORDINGS_ROUTE, methods: ['GET'], authLevel: 'function', handler: handleListRecordings });
