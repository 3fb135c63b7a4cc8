// The one send of every ACS request, for both clients (recording operations; media download and delete): the
// pipeline request with the per-attempt timeout and the caller's abort signal, plain http only towards the loopback
// emulator, the log fields and the invocation's logger attached, sent through the client's pipeline, and any status
// the operation does not define turned into an AcsRequestError.
import { createHttpHeaders, createPipelineRequest, type HttpClient, type HttpMethods, type Pipeline, type PipelineResponse } from '@azure/core-rest-pipeline';
import { isLoopbackHttpUrl } from './isLoopbackHttpUrl.js';
import type { OperationOptions } from './models.js';
import type { LogFields } from '../shared/logging.js';
import { setRequestLogFields, setRequestLogger } from './requestLogFields.js';
import { acsErrorFromResponse } from './toAcsRequestError.js';

/** What a client sends through. */
export interface AcsTransport {
  pipeline: Pipeline;
  httpClient: HttpClient;
  /** Per-attempt timeout until response headers arrive. */
  timeoutMs: number;
}

/** One ACS request. */
export interface AcsRequest {
  method: HttpMethods;
  /** The URL the request is addressed and signed to. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The operation's success statuses; any other is thrown as an AcsRequestError. */
  expected: readonly number[];
  /** Stream the body of the expected statuses instead of buffering it (downloads). */
  stream?: boolean;
  /** The host actually contacted, when it is not `url`'s (media: the storage URL); plain http only to loopback. */
  sentTo?: URL;
  /** The request's log fields: `operation` and the ids the operation knows. */
  log: LogFields & { operation: string };
  options: Pick<OperationOptions, 'abortSignal' | 'logger'>;
}

/** Sends `request`; resolves with the response of an expected status. */
export async function sendAcsRequest({ pipeline, httpClient, timeoutMs }: AcsTransport, request: AcsRequest): Promise<PipelineResponse> {
  const pipelineRequest = createPipelineRequest({
    url: request.url,
    method: request.method,
    body: request.body,
    headers: createHttpHeaders(request.headers),
    timeout: timeoutMs,
    abortSignal: request.options.abortSignal,
    allowInsecureConnection: isLoopbackHttpUrl(request.sentTo ?? request.url),
    streamResponseStatusCodes: request.stream ? new Set(request.expected) : undefined,
  });
  setRequestLogFields(pipelineRequest, request.log);
  setRequestLogger(pipelineRequest, request.options.logger);
  const response = await pipeline.sendRequest(httpClient, pipelineRequest);
  if (!request.expected.includes(response.status)) throw acsErrorFromResponse(response);
  return response;
}
