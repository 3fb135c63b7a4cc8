// Typed errors for every failed ACS call: HTTP status, ACS error code and message, whatever the body looked like.
export class AcsRequestError extends Error {
  override readonly name = 'AcsRequestError';
  constructor(
    message: string,
    /** HTTP status, or undefined for network failures / timeouts. */
    readonly statusCode: number | undefined,
    /** ACS error code (`error.code` or AMS `title`), or a synthetic one (`NetworkError`, `Timeout`, `HttpError`). */
    readonly code: string,
    options?: { cause?: unknown; retryAfterMs?: number; requestId?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterMs = options?.retryAfterMs;
    this.requestId = options?.requestId;
  }
  readonly retryAfterMs?: number;
  readonly requestId?: string;
}

export function isAcsRequestError(e: unknown): e is AcsRequestError {
  return e instanceof AcsRequestError || (e instanceof Error && e.name === 'AcsRequestError');
}

/** A source URL rejected by the media allow-list: no request was made. */
export class DisallowedUrlError extends Error {
  override readonly name = 'DisallowedUrlError';
}
