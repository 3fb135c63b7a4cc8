// Log context (correlationId, serverCallId, recordingId, and the operation's own logger) attached to a
// PipelineRequest, so the per-attempt log and retry policies can name the call, and write through the invocation's
// logger, without the fields travelling as HTTP headers. Keyed weakly: nothing outlives the request.
import type { PipelineRequest } from '@azure/core-rest-pipeline';
import { redactUrl, type LogFields, type Logger } from '../shared/logging.js';
import { ORIGINAL_URL_HEADER } from './policies/msHostHeaderPolicy.js';

const fieldsByRequest = new WeakMap<PipelineRequest, LogFields>();
const loggerByRequest = new WeakMap<PipelineRequest, Logger>();

/** Send this request's log lines to `logger` (the operation's, i.e. the invocation's) instead of the client's. */
export function setRequestLogger(request: PipelineRequest, logger: Logger | undefined): void {
  if (logger) loggerByRequest.set(request, logger);
}

/** The logger for a request's lines: the operation's if it gave one, else `fallback` (the client's). */
export function requestLogger(request: PipelineRequest, fallback: Logger): Logger {
  return loggerByRequest.get(request) ?? fallback;
}

/** Attach log fields to a request (merged with any already attached). */
export function setRequestLogFields(request: PipelineRequest, fields: LogFields): void {
  fieldsByRequest.set(request, { ...fieldsByRequest.get(request), ...fields });
}

/** The log fields attached to a request, or `{}`. */
export function getRequestLogFields(request: PipelineRequest): LogFields {
  return fieldsByRequest.get(request) ?? {};
}

/** What every ACS request log line carries: the attached fields, the method and the redacted URL actually fetched. */
export function requestLogContext(request: PipelineRequest): LogFields {
  // Media requests are signed for the ACS host; the URL actually fetched travels in OriginalUrl.
  return { ...getRequestLogFields(request), method: request.method, url: redactUrl(request.headers.get(ORIGINAL_URL_HEADER) ?? request.url) };
}
