// Turns whatever an ACS or AMS (media storage) error response carried into a stable { code, message }.
// Bodies seen in the wild: ACS `{"error":{"code","message"}}`, AMS problem JSON `{"title","status","message"}`,
// HTML gateway pages and empty bodies (azure-sdk-for-js#33764: the SDK threw a SyntaxError on those — we never do).

/** Synthetic code when the body names none. */
export const HTTP_ERROR_CODE = 'HttpError';

export interface ParsedAcsError {
  code: string;
  message: string;
}

/**
 * Parse an error response body. Never throws.
 *
 * @param status - the HTTP status
 * @param contentType - the `Content-Type` header, used only to describe non-JSON bodies
 * @param body - the body text (may be empty or undefined)
 */
export function parseAcsErrorBody(status: number, contentType: string | undefined, body: string | undefined): ParsedAcsError {
  const text = body?.trim() ?? '';
  const json = text.startsWith('{') ? tryParseJson(text) : undefined;
  if (isRecord(json)) {
    const inner = json.error;
    if (isRecord(inner) && typeof inner.code === 'string') {
      return { code: inner.code, message: typeof inner.message === 'string' ? inner.message : `HTTP ${status} ${inner.code}` };
    }
    if (typeof json.title === 'string') {
      return { code: json.title, message: typeof json.message === 'string' ? json.message : json.title };
    }
    if (typeof json.message === 'string') return { code: HTTP_ERROR_CODE, message: json.message };
  }
  if (!text) return { code: HTTP_ERROR_CODE, message: `HTTP ${status} with an empty body` };
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return { code: HTTP_ERROR_CODE, message: `HTTP ${status} with a ${type || 'non-JSON'} body` };
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
