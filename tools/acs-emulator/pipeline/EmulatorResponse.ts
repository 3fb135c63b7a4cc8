// What every handler, error and fault produces: a status, headers and an optional body (bytes or a stream).
import type { Readable } from 'node:stream';

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string | number>;
  /** Bytes, or a stream (then `headers['content-length']` should be set by the producer). */
  body?: Buffer | Readable;
}

/** A JSON response with `content-type: application/json; charset=utf-8`. */
export function jsonResponse(status: number, value: unknown, headers: Record<string, string | number> = {}): EmulatorResponse {
  const body = Buffer.from(JSON.stringify(value));
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}
