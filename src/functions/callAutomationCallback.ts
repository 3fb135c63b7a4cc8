// POST /api/callbacks/call-automation — Call Automation callbacks (a CloudEvents array). Authenticate (JWT and/or
// `?token=`, failing closed) → validate the whole array → apply every event in order → answer. Anonymous at the
// host level because ACS cannot send function keys; the JWT/token is the authentication.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { authenticateCallback } from '../auth/authenticateCallback.js';
import { recordingService } from '../calls/callServices.js';
import { parseCallAutomationEvents } from '../calls/parseCallAutomationEvents.js';
import { readJsonBody } from '../calls/readJsonBody.js';
import { CALL_AUTOMATION_CALLBACK_ROUTE } from '../calls/recordingCallbackUri.js';
import { toApiResponse } from '../calls/toApiResponse.js';
import { getConfig } from '../config.js';
import { isHttpError } from '../shared/errors.js';
import { contextLogger } from '../shared/logging.js';
import { recordCallbackRefused, setSpanIds, traced } from '../shared/telemetry.js';
import { SPANS } from '../shared/telemetryNames.js';

export async function handleCallAutomationCallback(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const log = contextLogger(context);
  try {
    const auth = await authenticateCallback(
      { authorization: request.headers.get('authorization'), token: request.query.get('token') },
      getConfig().callbackAuth,
    );
    const events = parseCallAutomationEvents(await readJsonBody(request));
    log.info('Call Automation callback received', { auth: auth.join('+'), events: events.length });
    setSpanIds({ serverCallId: events.find((e) => 'serverCallId' in e)?.serverCallId });
    const { results, failure } = await recordingService.get().handleCallEvents(events, log);
    if (failure !== undefined) return toApiResponse(failure, log);
    return { status: 200, jsonBody: { processed: results.length, results } };
  } catch (e) {
    recordCallbackRefused(isHttpError(e) ? e.code : 'InternalError');
    if (isHttpError(e) && e.status < 500) log.warn('Call Automation callback refused', { status: e.status, reason: e.message });
    return toApiResponse(e, log);
  }
}

app.http('callAutomationCallback', {
  route: CALL_AUTOMATION_CALLBACK_ROUTE,
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: traced(SPANS.callback, handleCallAutomationCallback),
});
