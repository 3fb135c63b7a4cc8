// An HttpClient that records what would go on the wire and answers from a script: the transport double for unit
// tests of the pipeline (signing, retries, error mapping). Integration tests use the real emulator instead.
import { Readable } from 'node:stream';
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';

export interface CapturedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  allowInsecureConnection: boolean | undefined;
  timeout: number;
  streamResponseStatusCodes: number[] | undefined;
  at: number;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export type Reply = ScriptedResponse | Error | ((req: PipelineRequest) => ScriptedResponse | Error);

/** Replies in order; the last reply repeats. */
export function captureHttpClient(...replies: Reply[]): HttpClient & { requests: CapturedRequest[] } {
  const requests: CapturedRequest[] = [];
  let i = 0;
  return {
    requests,
    sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      requests.push({
        method: request.method,
        url: request.url,
        headers: request.headers.toJSON(),
        body: typeof request.body === 'string' ? request.body : undefined,
        allowInsecureConnection: request.allowInsecureConnection,
        timeout: request.timeout,
        streamResponseStatusCodes: request.streamResponseStatusCodes ? [...request.streamResponseStatusCodes] : undefined,
        at: Date.now(),
      });
      const next = replies[Math.min(i++, replies.length - 1)] ?? { status: 200 };
      const reply = typeof next === 'function' ? next(request) : next;
      if (reply instanceof Error) return Promise.reject(reply);
      const response: PipelineResponse = { status: reply.status, headers: createHttpHeaders(reply.headers), request };
      if (request.streamResponseStatusCodes?.has(reply.status)) {
        response.readableStreamBody = Readable.from([Buffer.from(reply.body ?? '')]);
      } else {
        response.bodyAsText = reply.body ?? '';
      }
      return Promise.resolve(response);
    },
  };
}

/** A JSON reply. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): ScriptedResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}
