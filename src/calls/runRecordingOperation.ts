// The shared body of the `{id}` control-API functions: decode `{id}` (400 if it is not base64url), run one service
// operation, answer with its JSON or the mapped error. Keeps each trigger file to its registration.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { contextLogger, type Logger } from '../shared/logging.js';
import { recordingService } from './callServices.js';
import { fromRecordingRouteId } from './recordingIdEncoding.js';
import type { RecordingService } from './RecordingService.js';
import { toApiResponse } from './toApiResponse.js';

export type RecordingOperation = (service: RecordingService, recordingId: string, log: Logger) => Promise<object>;

export async function runRecordingOperation(
  request: HttpRequest,
  context: InvocationContext,
  operation: RecordingOperation,
  successStatus: number,
): Promise<HttpResponseInit> {
  let log = contextLogger(context);
  try {
    const recordingId = fromRecordingRouteId(request.params.id);
    log = log.with({ recordingId });
    return { status: successStatus, jsonBody: await operation(recordingService.get(), recordingId, log) };
  } catch (e) {
    return toApiResponse(e, log);
  }
}
