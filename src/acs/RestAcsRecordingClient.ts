// AcsRecordingClient over core-rest-pipeline: start/get/pause/resume/stop of ACS Call Automation recordings.
import { randomUUID } from 'node:crypto';
import { createDefaultHttpClient, type HttpMethods, type PipelineResponse } from '@azure/core-rest-pipeline';
import { z } from 'zod';
import { DEFAULT_ACS_API_VERSION, type AcsAuthConfig } from '../config.js';
import { acsOrigin } from './acsOrigin.js';
import { DEFAULT_ACS_TIMEOUT_MS, type AcsClientOptions } from './AcsClientOptions.js';
import { createAcsPipeline } from './createAcsPipeline.js';
import { AcsRequestError } from './errors.js';
import { recordingIdProblem } from '../shared/acsIds.js';
import type {
  AcsRecordingClient,
  OperationOptions,
  RecordingStateResult,
  StartRecordingOptions,
  StartRecordingRequest,
} from './models.js';
import { knownEnumSchema } from './knownEnumValue.js';
import { RECORDING_KINDS, RECORDING_STATES } from './models.js';
import { sendAcsRequest, type AcsTransport } from './sendAcsRequest.js';
import { serializeStartRecordingRequest } from './serializeStartRecordingRequest.js';
import { INVALID_RESPONSE_CODE, requestIdOf } from './toAcsRequestError.js';

/** Options of {@link RestAcsRecordingClient}. */
export interface RestAcsRecordingClientOptions extends AcsClientOptions {
  /** Default {@link DEFAULT_ACS_API_VERSION}. */
  apiVersion?: string;
}

const recordingStateSchema = z.object({
  recordingId: z.string().min(1),
  // Compared case-insensitively; a state or kind added by a future API version is kept as sent, not refused.
  recordingState: knownEnumSchema(RECORDING_STATES),
  recordingKind: knownEnumSchema(RECORDING_KINDS).optional().catch(undefined),
});

/**
 * Calls the Call Automation recording REST API (`/calling/recordings`).
 *
 * @example
 * const client = new RestAcsRecordingClient(getConfig().acs!);
 * const { recordingId } = await client.startRecording({ target: { serverCallId }, content: 'audio', channel: 'mixed', format: 'wav' });
 */
export class RestAcsRecordingClient implements AcsRecordingClient {
  private readonly origin: URL;
  private readonly transport: AcsTransport;
  private readonly apiVersion: string;

  constructor(auth: AcsAuthConfig, options: RestAcsRecordingClientOptions = {}) {
    this.origin = acsOrigin(auth.endpoint);
    this.transport = {
      pipeline: createAcsPipeline(auth, options),
      httpClient: options.httpClient ?? createDefaultHttpClient(),
      timeoutMs: options.timeoutMs ?? DEFAULT_ACS_TIMEOUT_MS,
    };
    this.apiVersion = options.apiVersion ?? DEFAULT_ACS_API_VERSION;
  }

  /** `POST /calling/recordings` with repeatability headers (reused by retries, so a retried start is deduplicated). */
  async startRecording(request: StartRecordingRequest, options: StartRecordingOptions = {}): Promise<RecordingStateResult> {
    const response = await this.send('POST', '', options, {
      body: serializeStartRecordingRequest(request),
      headers: {
        'Content-Type': 'application/json',
        'Repeatability-Request-ID': options.repeatabilityRequestId ?? randomUUID(),
        'Repeatability-First-Sent': (options.repeatabilityFirstSent ?? new Date()).toUTCString(),
      },
      logFields: { serverCallId: 'serverCallId' in request.target ? request.target.serverCallId : options.serverCallId },
      expected: [200, 202],
    });
    return parseRecordingState(response);
  }

  /** `GET /calling/recordings/{id}`. */
  async getRecordingState(recordingId: string, options: OperationOptions = {}): Promise<RecordingStateResult> {
    const response = await this.send('GET', recordingPath(recordingId), options, { recordingId, expected: [200] });
    return parseRecordingState(response);
  }

  /** `POST /calling/recordings/{id}:pause` → 202. */
  async pauseRecording(recordingId: string, options: OperationOptions = {}): Promise<void> {
    await this.send('POST', `${recordingPath(recordingId)}:pause`, options, { recordingId, expected: [202] });
  }

  /** `POST /calling/recordings/{id}:resume` → 202. */
  async resumeRecording(recordingId: string, options: OperationOptions = {}): Promise<void> {
    await this.send('POST', `${recordingPath(recordingId)}:resume`, options, { recordingId, expected: [202] });
  }

  /** `DELETE /calling/recordings/{id}` → 204. */
  async stopRecording(recordingId: string, options: OperationOptions = {}): Promise<void> {
    await this.send('DELETE', recordingPath(recordingId), options, { recordingId, expected: [204] });
  }

  private send(
    method: HttpMethods,
    path: string,
    options: OperationOptions,
    extra: {
      expected: number[];
      recordingId?: string;
      body?: string;
      headers?: Record<string, string>;
      logFields?: { serverCallId?: string };
    },
  ): Promise<PipelineResponse> {
    return sendAcsRequest(this.transport, {
      method,
      url: `${this.origin.origin}/calling/recordings${path}?api-version=${encodeURIComponent(this.apiVersion)}`,
      headers: { Accept: 'application/json', ...extra.headers },
      body: extra.body,
      expected: extra.expected,
      log: {
        operation: operationName(method, path),
        correlationId: options.correlationId,
        serverCallId: extra.logFields?.serverCallId ?? options.serverCallId,
        recordingId: extra.recordingId,
      },
      options,
    });
  }
}

/**
 * `/{encoded id}`: recording IDs are base64 with `/`, `+`, `=`, and the HMAC covers the encoded path (§1.2). An id
 * that no recording has (a dot segment would make the signed request address `/calling/`) is never sent.
 */
function recordingPath(recordingId: string): string {
  if (typeof recordingId !== 'string') throw new TypeError('recordingId must be a string');
  const problem = recordingIdProblem(recordingId);
  if (problem) throw new TypeError(`recordingId ${problem}`);
  return `/${encodeURIComponent(recordingId)}`;
}

function operationName(method: string, path: string): string {
  if (path === '') return 'startRecording';
  if (path.endsWith(':pause')) return 'pauseRecording';
  if (path.endsWith(':resume')) return 'resumeRecording';
  return method === 'DELETE' ? 'stopRecording' : 'getRecordingState';
}

function parseRecordingState(response: PipelineResponse): RecordingStateResult {
  let json: unknown;
  try {
    json = JSON.parse(response.bodyAsText ?? '');
  } catch {
    json = undefined;
  }
  const parsed = recordingStateSchema.safeParse(json);
  if (!parsed.success) {
    throw new AcsRequestError(`ACS returned HTTP ${response.status} without a valid RecordingStateResponse`, response.status, INVALID_RESPONSE_CODE, {
      requestId: requestIdOf(response),
    });
  }
  const { recordingId, recordingState, recordingKind } = parsed.data;
  return recordingKind === undefined ? { recordingId, recordingState } : { recordingId, recordingState, recordingKind };
}
