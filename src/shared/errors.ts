// The app's error catalogue and the one place where errors become HTTP responses.
import type { HttpResponseInit } from '@azure/functions';

/** Normalizes anything thrown into an Error. */
export function ensureError(e: unknown): Error {
  if (e instanceof Error) return e;
  return new Error(typeof e === 'string' ? e : JSON.stringify(e));
}

/** `Name: message` of anything thrown, for a log line. */
export function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** The HTTP status an SDK error carries (`RestError.statusCode`, or this app's errors'), if any. */
export function statusCodeOf(e: unknown): number | undefined {
  const status = (e as { statusCode?: unknown } | null | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** An error that maps to a specific HTTP status with a JSON body `{ error: { code, message, details? } }`. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** 400: the request is malformed or fails validation. Nothing was changed. */
export class ValidationError extends HttpError {
  override name = 'ValidationError';
  constructor(message: string, details?: unknown) {
    super(400, 'BadRequest', message, details);
  }
}

/** 401: the caller is not authenticated. */
export class UnauthorizedError extends HttpError {
  override name = 'UnauthorizedError';
  constructor(message: string) {
    super(401, 'Unauthorized', message);
  }
}

/** 404: the addressed resource does not exist. */
export class NotFoundError extends HttpError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super(404, 'NotFound', message);
  }
}

export function isHttpError(e: unknown): e is HttpError {
  return e instanceof HttpError;
}

export function errorBody(code: string, message: string, details?: unknown): { error: { code: string; message: string; details?: unknown } } {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Known errors keep their status and message; anything else is a bare 500 that leaks nothing. */
export function toHttpResponse(e: unknown): HttpResponseInit {
  if (isHttpError(e)) return { status: e.status, jsonBody: errorBody(e.code, e.message, e.details) };
  return { status: 500, jsonBody: errorBody('InternalError', 'An internal error occurred.') };
}
