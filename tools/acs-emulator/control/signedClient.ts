// Sends requests signed by the real SDK signer: @azure/communication-common's createCommunicationAuthPolicy on a
// @azure/core-rest-pipeline pipeline with the default Node HTTP client, one attempt with a timeout. The emulator's
// tests use it to call the emulated ACS, and the remote control client (remoteEmulator.ts) to drive a running
// emulator. An optional policy after "Sign" lets a test tamper with a signed request (wrong host, changed body) the
// way a broken client or an attacker would.
import { createCommunicationAuthPolicy } from '@azure/communication-common';
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';

export interface SignedRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Full URL the request is signed for (and sent to, unless `sendTo` is set). */
  url: string;
  body?: string;
  headers?: Record<string, string>;
  /** Send to this URL after signing (media: signed for the ACS origin, sent to the storage URL). */
  sendTo?: string;
  /** Mutates the request after signing. */
  tamper?: (request: PipelineRequest) => void;
  /** Stream 200/206 bodies (`stream`) instead of buffering them as text. */
  stream?: boolean;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
}

export interface SignedResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: () => unknown;
  /** The body of a 200/206 when `stream` was requested. */
  stream?: NodeJS.ReadableStream;
}

const httpClient = createDefaultHttpClient();

export async function sendSigned(accessKey: string, r: SignedRequest): Promise<SignedResponse> {
  const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 0 } });
  pipeline.addPolicy(createCommunicationAuthPolicy({ key: accessKey }));
  pipeline.addPolicy(
    {
      name: 'testAfterSign',
      sendRequest: (request, next) => {
        if (r.sendTo) {
          request.url = r.sendTo;
          request.headers.set('Host', new URL(r.sendTo).host);
        }
        r.tamper?.(request);
        return next(request);
      },
    },
    { afterPhase: 'Sign' },
  );
  const request = createPipelineRequest({
    url: r.url,
    method: r.method,
    body: r.body,
    headers: createHttpHeaders(r.headers),
    allowInsecureConnection: true,
    timeout: r.timeoutMs ?? 30_000,
    streamResponseStatusCodes: r.stream ? new Set([200, 206]) : undefined,
  });
  const response: PipelineResponse = await pipeline.sendRequest(httpClient, request);
  const text = response.bodyAsText ?? '';
  return { status: response.status, headers: response.headers.toJSON(), text, json: () => JSON.parse(text) as unknown, stream: response.readableStreamBody };
}
