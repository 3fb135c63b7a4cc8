// Log context (correlationId, serverCallId, recordingId) attached to a PipelineRequest, so the per-attempt log
// policy can name the call without the fields travelling as HTTP headers. Keyed weakly: nothing outlives the request.
import type { PipelineRequest } from '@azure/core-rest-pipeline';
import type { LogFields } from '../shared/logging.js';

const fieldsByRequest = new WeakMap<PipelineRequest, LogFields>();

/** Attach log fields to a request (merged with any already attached). */
export function setRequestLogFields(request: PipelineRequest, fields: LogFields): void {
  fieldsByRequest.set(request, { ...fieldsByRequest.get(request), ...fields });
}

/** The log fields attached to a request, or `{}`. */
export function getRequestLogFields(request: PipelineRequest): LogFields {
  return fieldsByRequest.get(request) ?? {};
}
