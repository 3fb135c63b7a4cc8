// The request body as parsed JSON, or a 400 saying it isn't JSON. Bodies of this API are small JSON documents.
import type { HttpRequest } from '@azure/functions';
import { ValidationError } from '../shared/errors.js';

/** Larger bodies are refused before parsing (a callback array or a start request is a few KiB). */
export const MAX_JSON_BODY_CHARS = 1024 * 1024;

export async function readJsonBody(request: Pick<HttpRequest, 'text'>): Promise<unknown> {
  const text = await request.text();
  if (text.length > MAX_JSON_BODY_CHARS) throw new ValidationError(`The request body exceeds ${MAX_JSON_BODY_CHARS} characters`);
  if (text.trim() === '') throw new ValidationError('The request body is empty; a JSON body is required');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ValidationError(`The request body is not valid JSON: ${(e as Error).message}`);
  }
}
