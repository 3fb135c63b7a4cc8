// The request pipeline, in a fixed order (like Azurite's middleware chain):
//   1. context  — read the raw body, parse the request-target, log the request (`requests`)
//   2. route    — which operation, which surface (ACS REST or storage), which auth
//   3. auth     — HMAC verification; fails closed with the surface's 401
//   4. faults   — injected faults replace the response (status/html/throttle/empty), mark the body
//                 (reset/slow/zeroHead) or re-target the handler (otherDocument)
//   5. handler  — one handler per resource: recordings, media objects, OpenID
//   6. error    — EmulatorError → its wire response; anything else → the surface's bare 500
//   7. end      — write the response (streams with backpressure), finish the log entry, notify listeners
// The emulator's remote control (/emulator/v1/, not ACS) is authenticated the same way, takes no faults and is
// answered by control/controlRoutes.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AcsErrors, AmsErrors, isEmulatorError } from '../errors/acsErrors.js';
import { faultResponse } from '../faults/faultResponse.js';
import type { MediaHandler } from '../handlers/mediaHandler.js';
import type { OpenIdHandler } from '../handlers/openIdHandler.js';
import type { RecordingHandler } from '../handlers/recordingHandler.js';
import { MAX_REQUEST_BODY_BYTES } from '../defaults.js';
import type { EmulatorRuntime } from '../runtime.js';
import type { AcsEmulator, RequestLogEntry } from '../types.js';
import { handleControlRequest } from '../control/controlRoutes.js';
import { authenticate } from './authenticate.js';
import type { EmulatorResponse } from './EmulatorResponse.js';
import { readBody } from './readBody.js';
import { headerValue, type RequestContext } from './RequestContext.js';
import { parseTarget, resolveRoute } from './resolveRoute.js';
import { writeResponse } from './writeResponse.js';

export interface PipelineHandlers {
  recordings: RecordingHandler;
  media: MediaHandler;
  openId: OpenIdHandler;
}

/** Stages 2–6: from a request with its body to the response to write. */
function respond(ctx: RequestContext, rt: EmulatorRuntime, handlers: PipelineHandlers): EmulatorResponse {
  try {
    authenticate(ctx, rt.options);

    const { route } = ctx;
    const recordingId = route.recordingId ?? (route.documentId ? rt.store.document(route.documentId)?.recordingId : undefined);
    const fault = rt.faults.take({ operation: route.operation, documentId: route.documentId, recordingId });
    if (fault) {
      const replaced = faultResponse(fault, route.surface);
      if (replaced) return replaced;
      if (fault.type === 'reset' || fault.type === 'slow' || fault.type === 'zeroHead') ctx.bodyFault = fault;
      // The request is answered as if it had named another document (its file, its size, its deletion).
      if (fault.type === 'otherDocument') ctx.route = { ...ctx.route, documentId: fault.documentId };
    }

    switch (route.operation) {
      case 'startRecording':
      case 'getRecording':
      case 'pauseRecording':
      case 'resumeRecording':
      case 'stopRecording':
        return handlers.recordings.handle(ctx);
      case 'downloadContent':
      case 'downloadMetadata':
      case 'deleteRecording':
        return handlers.media.handle(ctx);
      case 'openid':
      case 'jwks':
        return handlers.openId.handle(ctx);
      case 'control':
      case 'unknown':
        if (route.malformed) throw route.surface === 'media' ? AmsErrors.notFound() : AcsErrors.badRequest('The request path is malformed.');
        if (route.methodNotAllowed) throw route.surface === 'media' ? AmsErrors.notFound() : AcsErrors.methodNotAllowed();
        throw route.surface === 'media' ? AmsErrors.notFound() : AcsErrors.routeNotFound();
    }
  } catch (e) {
    if (isEmulatorError(e)) return e.response;
    console.error('[acs-emulator] unexpected error', e);
    return (ctx.route.surface === 'media' ? AmsErrors.internal() : AcsErrors.internal()).response;
  }
}

/** The `request` listener of the emulator's HTTP server. */
export function createRequestListener(
  rt: EmulatorRuntime,
  handlers: PipelineHandlers,
  facade: () => AcsEmulator | undefined,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // 1. context
    const rawTarget = req.url ?? '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const { pathname, query } = parseTarget(rawTarget);
    const route = resolveRoute(method, pathname, rt.mediaPathPrefix);
    const entry: RequestLogEntry = {
      method,
      path: rawTarget,
      host: headerValue(req.headers, 'host'),
      xMsHost: headerValue(req.headers, 'x-ms-host'),
      headers: { ...req.headers },
      status: 0,
      authenticated: false,
      operation: route.operation,
      time: new Date(),
    };
    rt.requests.push(entry);
    res.once('close', () => {
      for (const listener of rt.requestListeners) {
        try {
          listener(entry);
        } catch (e) {
          console.error('[acs-emulator] request listener threw', e);
        }
      }
    });

    void (async () => {
      const { body, tooLarge } = await readBody(req, MAX_REQUEST_BODY_BYTES);
      const ctx: RequestContext = { method, rawTarget, pathname, query, headers: req.headers, body, route, entry };
      const response = tooLarge
        ? AcsErrors.payloadTooLarge().response
        : route.operation === 'control'
          ? await handleControlRequest(ctx, rt.options, facade())
          : respond(ctx, rt, handlers);
      await writeResponse(ctx, res, response);
    })().catch(() => {
      // The client went away mid-response (or a reset fault cut it): nothing left to answer.
      if (!res.destroyed) res.destroy();
    });
  };
}
