// The responses of the faults that replace the handler entirely (status, html, throttle, empty), in the
// error shape of the surface that was addressed. Body faults (reset, slow, zeroHead) are applied when writing the
// response; otherDocument re-targets the handler (pipeline.ts).
import { surfaceError, type ErrorSurface } from '../errors/acsErrors.js';
import type { EmulatorResponse } from '../pipeline/EmulatorResponse.js';
import type { FaultKind } from '../types.js';

const HTML_PAGE = (status: number) =>
  `<!DOCTYPE html>\n<html><head><title>${status} - Service Error</title></head>` +
  `<body><h1>Server Error</h1><h2>${status} - The service is temporarily unavailable.</h2></body></html>\n`;

/** The replacement response, or undefined for body faults that let the handler run. */
export function faultResponse(fault: FaultKind, surface: ErrorSurface): EmulatorResponse | undefined {
  switch (fault.type) {
    case 'status':
      if (fault.body !== undefined) {
        return { status: fault.status, headers: { 'content-type': fault.contentType ?? 'application/json; charset=utf-8' }, body: Buffer.from(fault.body) };
      }
      return (
        fault.status === 500
          ? surfaceError(surface, 500, '9999', 'Unknown internal server error.')
          : surfaceError(surface, fault.status, String(fault.status), 'Injected fault.')
      ).response;
    case 'html':
      return { status: fault.status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from(HTML_PAGE(fault.status)) };
    case 'throttle':
      return surfaceError(surface, 429, 'TooManyRequests', 'Too many requests. Retry after the delay in Retry-After.', {
        'retry-after': String(fault.retryAfterSeconds),
      }).response;
    case 'empty':
      return { status: fault.status, headers: { 'content-length': 0 } };
    case 'reset':
    case 'slow':
    case 'otherDocument':
    case 'zeroHead':
      return undefined;
  }
}
