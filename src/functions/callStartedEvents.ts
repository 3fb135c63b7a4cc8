// Event Grid trigger for Microsoft.Communication.CallStarted and CallEnded ("record every call on the resource",
// RECORD_ON_CALL_STARTED): validate at the edge, hand the event to the recording service, log what it did.
// - an invalid event: an error log line with the event id and every problem, nothing started or written, and the
//   invocation FAILS, so Event Grid retries and finally dead-letters it where an operator finds it;
// - a transient failure (ACS 5xx/429/timeouts, the state table): thrown, so Event Grid redelivers with backoff;
// - a start ACS refuses for good (e.g. the call already ended): logged and kept on the call row, not retried;
// - other event types, or the setting off: ignored with a log line.
import { app, type InvocationContext } from '@azure/functions';
import { recordingService } from '../calls/callServices.js';
import { parseCallLifecycleEvent } from '../calls/parseCallLifecycleEvent.js';
import type { CallLifecycleOutcome } from '../calls/RecordingService.js';
import { InvalidEventError } from '../shared/eventGridEnvelope.js';
import { contextLogger } from '../shared/logging.js';

/** The function name the Event Grid subscription delivers to (infra/app/eventSubscription.bicep, scripts/post-deploy.*). */
export const CALL_STARTED_EVENTS_FUNCTION = 'callStartedEvents';

/** Handles one delivered event; resolves with what was done (the host ignores it; tests read it). */
export async function handleCallStartedEvents(event: unknown, context: InvocationContext): Promise<CallLifecycleOutcome> {
  const log = contextLogger(context);
  let parsed;
  try {
    parsed = parseCallLifecycleEvent(event);
  } catch (e) {
    if (e instanceof InvalidEventError) log.error('Rejected an invalid call event; nothing was started', { eventId: e.eventId, issues: e.issues });
    throw e;
  }
  if (parsed.kind === 'ignored') {
    log.info('Ignoring Event Grid event of another type', { eventId: parsed.eventId, eventType: parsed.eventType });
    return { outcome: 'ignored' };
  }
  const result = await recordingService.get().handleCallLifecycleEvent(parsed, log);
  log.info(`${parsed.kind} handled`, { eventId: parsed.eventId, serverCallId: parsed.serverCallId, correlationId: parsed.correlationId, schema: parsed.schema, ...result });
  return result;
}

app.eventGrid(CALL_STARTED_EVENTS_FUNCTION, { handler: handleCallStartedEvents });
