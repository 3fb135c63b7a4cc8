// Every call the console makes: to the control API (relative to /api/console, so /api/…), with the function key as
// `x-functions-key` — never in a URL. A 401 signs the operator out; any other error keeps the API's own words.
import { clearKey, getKey } from './keyStore';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called when the API refuses the key (401): the sign-in box comes back. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export async function api<T>(path: string, init: { method?: string; accept?: string } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: { 'x-functions-key': getKey() ?? '', accept: init.accept ?? 'application/json' },
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (res.status === 401) {
    clearKey();
    unauthorizedListeners.forEach((l) => l());
    throw new ApiError(401, 'Unauthorized', 'The function key was refused (401). Sign in with a valid key.');
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(res.status, error?.code ?? `HTTP ${res.status}`, error?.message ?? (text || res.statusText), error?.details);
  }
  return body as T;
}
