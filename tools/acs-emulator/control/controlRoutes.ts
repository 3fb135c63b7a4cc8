// The emulator's remote control: the programmatic facade (AcsEmulator) over HTTP under /emulator/v1/, so a tool in
// another process (`npm run simulate` when `npm run emulator` already holds the port) can drive a running emulator.
// Not part of ACS: nothing in the app calls these routes. Every route is HMAC-signed with the emulator's access key,
// like the ACS operations (fails closed with 401), and bodies are validated (400 with what is wrong).
//   GET    /emulator/v1/info                                    { resourceId, mediaOrigin, endpoint }
//   PUT    /emulator/v1/next-recording-files                    RecordingFilesSpec                     → 204
//   POST   /emulator/v1/calls                                   SimulateCallOptions                    → SimulatedCall
//   POST   /emulator/v1/calls/{serverCallId}/disconnect         { callbackUrl? }                       → { status, … }
//   GET    /emulator/v1/recordings                              → recordings (JSON of EmulatorRecording)
//   GET    /emulator/v1/recordings/{recordingId}                → one recording, or 404
//   POST   /emulator/v1/recordings/{recordingId}/publish-file-status  { url, schema? }                 → { status }
//   POST   /emulator/v1/faults                                  FaultRule                              → 204
//   DELETE /emulator/v1/faults                                                                        → 204
//   GET    /emulator/v1/documents/{documentId}/{content|metadata}/md5                                 → { md5 }
import { z } from 'zod';
import { AcsErrors, isEmulatorError } from '../errors/acsErrors.js';
import { authenticate, type AuthSettings } from '../pipeline/authenticate.js';
import { jsonResponse, type EmulatorResponse } from '../pipeline/EmulatorResponse.js';
import type { RequestContext } from '../pipeline/RequestContext.js';
import { EMULATOR_OPERATIONS, type AcsEmulator, type FaultRule, type RecordingFilesSpec } from '../types.js';

export const CONTROL_PREFIX = '/emulator/v1/';

const url = z.string().refine((v) => URL.canParse(v), 'must be an absolute URL');
const schema = z.enum(['EventGrid', 'CloudEvents']).optional();

const filesSpec: z.ZodType<RecordingFilesSpec> = z.union([
  z.object({ count: z.number().int().min(0).max(1000), sizeBytes: z.number().int().min(0) }).strict(),
  z.object({ sizesBytes: z.array(z.number().int().min(0)).max(1000) }).strict(),
]);

const simulateCallBody = z
  .object({
    callbackUrl: url.optional(),
    serverCallId: z.string().min(1).optional(),
    callConnectionId: z.string().min(1).optional(),
    correlationId: z.string().min(1).optional(),
    callStarted: z.object({ url, schema }).strict().optional(),
  })
  .strict()
  .refine((o) => o.callbackUrl !== undefined || o.callStarted !== undefined, 'needs a callbackUrl, callStarted, or both');

const disconnectBody = z.object({ callbackUrl: url.optional() }).strict();
const publishBody = z.object({ url, schema }).strict();

const faultKind = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), status: z.number().int().min(100).max(599), body: z.string().optional(), contentType: z.string().optional() }).strict(),
  z.object({ type: z.literal('html'), status: z.number().int().min(100).max(599) }).strict(),
  z.object({ type: z.literal('throttle'), retryAfterSeconds: z.number().int().min(0) }).strict(),
  z.object({ type: z.literal('reset'), afterBytes: z.number().int().min(0) }).strict(),
  z.object({ type: z.literal('slow'), bytesPerSecond: z.number().int().min(1) }).strict(),
  z.object({ type: z.literal('empty'), status: z.number().int().min(100).max(599) }).strict(),
  z.object({ type: z.literal('otherDocument'), documentId: z.string().min(1) }).strict(),
  z.object({ type: z.literal('zeroHead'), bytes: z.number().int().min(1).optional() }).strict(),
]);
const faultRule: z.ZodType<FaultRule> = z
  .object({
    operation: z.enum(EMULATOR_OPERATIONS).optional(),
    documentId: z.string().min(1).optional(),
    recordingId: z.string().min(1).optional(),
    times: z.number().int().min(1).optional(),
    fault: faultKind,
  })
  .strict();

const noContent: EmulatorResponse = { status: 204 };
const notFound = (what: string) => jsonResponse(404, { error: { code: 'NotFound', message: `${what} is not known to this emulator` } });

function parseBody<T>(ctx: RequestContext, type: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = ctx.body.length === 0 ? {} : JSON.parse(ctx.body.toString('utf8'));
  } catch {
    throw AcsErrors.badRequest('The request body is not JSON.');
  }
  const parsed = type.safeParse(value);
  if (!parsed.success) {
    throw AcsErrors.badRequest(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

function segments(pathname: string): string[] | undefined {
  try {
    return pathname.slice(CONTROL_PREFIX.length).split('/').map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

async function dispatch(ctx: RequestContext, emulator: AcsEmulator): Promise<EmulatorResponse> {
  const parts = segments(ctx.pathname);
  if (!parts) throw AcsErrors.badRequest('The request path is malformed.');
  const [resource, id, action, extra] = parts;
  const route = `${ctx.method} ${resource}${id === undefined ? '' : '/{id}'}${action === undefined ? '' : `/${action}`}${extra === undefined ? '' : `/${extra}`}`;
  switch (route) {
    case 'GET info':
      return jsonResponse(200, { endpoint: emulator.endpoint, resourceId: emulator.resourceId, mediaOrigin: emulator.mediaOrigin });
    case 'PUT next-recording-files':
      emulator.setNextRecordingFiles(parseBody(ctx, filesSpec));
      return noContent;
    case 'POST calls':
      return jsonResponse(200, await emulator.simulateCall(parseBody(ctx, simulateCallBody)));
    case 'POST calls/{id}/disconnect':
      return jsonResponse(200, await emulator.disconnectCall({ ...parseBody(ctx, disconnectBody), serverCallId: id! }));
    case 'GET recordings':
      return jsonResponse(200, emulator.listRecordings());
    case 'GET recordings/{id}': {
      const recording = emulator.getRecording(id!);
      return recording ? jsonResponse(200, recording) : notFound(`Recording ${id}`);
    }
    case 'POST recordings/{id}/publish-file-status': {
      if (emulator.getRecording(id!)?.state !== 'stopped') return notFound(`A stopped recording ${id}`);
      const body = parseBody(ctx, publishBody);
      return jsonResponse(200, await emulator.publishRecordingFileStatusUpdated(id!, body.url, { schema: body.schema }));
    }
    case 'POST faults':
      emulator.injectFault(parseBody(ctx, faultRule));
      return noContent;
    case 'DELETE faults':
      emulator.clearFaults();
      return noContent;
    case 'GET documents/{id}/content/md5':
    case 'GET documents/{id}/metadata/md5':
      try {
        return jsonResponse(200, { md5: await emulator.fileMd5(id!, action as 'content' | 'metadata') });
      } catch {
        return notFound(`Document ${id}`);
      }
    default:
      return jsonResponse(404, { error: { code: 'NotFound', message: `${ctx.method} ${ctx.pathname} is not a control route (see tools/acs-emulator/control/controlRoutes.ts)` } });
  }
}

/** Answers one /emulator/v1/ request: authenticated like an ACS operation, then the facade call. */
export async function handleControlRequest(ctx: RequestContext, settings: AuthSettings, emulator: AcsEmulator | undefined): Promise<EmulatorResponse> {
  try {
    authenticate(ctx, settings);
    if (!emulator) return AcsErrors.internal().response;
    return await dispatch(ctx, emulator);
  } catch (e) {
    if (isEmulatorError(e)) return e.response;
    console.error('[acs-emulator] control request failed', e);
    return AcsErrors.internal().response;
  }
}
