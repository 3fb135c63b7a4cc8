// The recording resource of ACS Call Automation: start / get / pause / resume / stop (reference §1).
import { AcsErrors } from '../errors/acsErrors.js';
import { SUPPORTED_API_VERSIONS } from '../defaults.js';
import { jsonResponse, type EmulatorResponse } from '../pipeline/EmulatorResponse.js';
import { headerValue, type RequestContext } from '../pipeline/RequestContext.js';
import type { RecordingLifecycle } from '../recordings/RecordingLifecycle.js';
import type { RecordingStore } from '../store/RecordingStore.js';
import { parseStartCallRecordingRequest } from './parseStartCallRecordingRequest.js';

const RECORDING_KIND = 'azureCommunicationServices';

/** Every operation requires a known `api-version` (the real answer to unknown versions is undocumented, §8.2). */
function requireApiVersion(ctx: RequestContext): void {
  const v = ctx.query.get('api-version');
  if (!v) throw AcsErrors.missingApiVersion();
  if (!SUPPORTED_API_VERSIONS.has(v)) throw AcsErrors.unsupportedApiVersion(v);
}

export class RecordingHandler {
  constructor(
    private readonly lifecycle: RecordingLifecycle,
    private readonly store: RecordingStore,
  ) {}

  handle(ctx: RequestContext): EmulatorResponse {
    requireApiVersion(ctx);
    const id = ctx.route.recordingId ?? '';
    switch (ctx.route.operation) {
      case 'startRecording':
        return this.start(ctx);
      case 'getRecording': {
        const { recording } = this.lifecycle.running(id);
        return jsonResponse(200, { recordingId: recording.recordingId, recordingState: recording.state, recordingKind: RECORDING_KIND });
      }
      case 'pauseRecording':
        this.lifecycle.pause(id);
        return { status: 202, headers: { 'content-length': 0 } };
      case 'resumeRecording':
        this.lifecycle.resume(id);
        return { status: 202, headers: { 'content-length': 0 } };
      case 'stopRecording':
        this.lifecycle.stop(id);
        return { status: 204 };
      default:
        throw AcsErrors.routeNotFound();
    }
  }

  /** POST /calling/recordings — 200 `{recordingId, recordingState: 'inactive', recordingKind}`, idempotent per Repeatability-Request-ID. */
  private start(ctx: RequestContext): EmulatorResponse {
    const input = parseStartCallRecordingRequest(ctx.body);
    const requestId = headerValue(ctx.headers, 'repeatability-request-id');
    if (requestId !== undefined) {
      const firstSent = headerValue(ctx.headers, 'repeatability-first-sent');
      if (!firstSent || Number.isNaN(Date.parse(firstSent))) {
        throw AcsErrors.badRequest('Repeatability-First-Sent must be a valid HTTP date when Repeatability-Request-ID is specified.');
      }
      // Pipeline retries resend the same id: answer with the original result, start nothing new.
      const earlier = this.store.startFor(requestId);
      if (earlier) return jsonResponse(200, earlier.responseBody, { 'repeatability-result': 'accepted' });
    }
    const recording = this.lifecycle.start(input);
    const body = { recordingId: recording.recordingId, recordingState: 'inactive', recordingKind: RECORDING_KIND };
    if (requestId !== undefined) this.store.rememberStart(requestId, recording.recordingId, body);
    return jsonResponse(200, body, requestId !== undefined ? { 'repeatability-result': 'accepted' } : {});
  }
}
