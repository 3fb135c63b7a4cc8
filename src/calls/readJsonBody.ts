// The request body as parsed JSON, or a clear error: 413 when it is too large (from Content-Length, before a byte of
// it is read, or once read when no length was declared), 400 when it isn't JSON. Bodies of this API are small JSON
// documents.
import type { HttpRequest } from '@azure/functions';
import { HttpError, ValidationError } from '../shared/errors.js';

/** Larger bodies are refused (a callback array or a start request is a few KiB). */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** 413: the body is larger than {@link MAX_JSON_BODY_BYTES}. Nothing was changed. */
export class PayloadTooLargeError extends HttpError {
  override name = 'PayloadTooLargeError';
  constructor(bytes: number | undefined) {
    super(413, 'PayloadTooLarge', `The request body ${bytes === undefined ? 'is larger than' : `has ${bytes} bytes; at most`} ${MAX_JSON_BODY_BYTES} bytes are accepted`);
  }
}

/** The declared Content-Length, when it is a plain decimal number. */
function declaredLength(request: Pick<HttpRequest, 'headers'>): number | undefined {
  const value = request.headers.get('content-length')?.trim();
  return value !== undefined && /^\d{1,16}$/.test(value) ? Number(value) : undefined;
}

export async function readJsonBody(request: Pick<HttpRequest, 'text' | 'headers'>): Promise<unknown> {
  const declared = declaredLength(request);
  // Refused without reading: the sender said how big it is.
  if (declared !== undefined && declared > MAX_JSON_BODY_BYTES) throw new PayloadTooLargeError(declared);
  const text = await request.text();
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_JSON_BODY_BYTES) throw new PayloadTooLargeError(bytes);
  if (text.trim() === '') throw new ValidationError('The request body is empty; a JSON body is required');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ValidationError(`The request body is not valid JSON: ${(e as Error).message}`);
  }
}
