// Fetches an OpenID Connect discovery document (for ACS callbacks: `/calling/.well-known/acsopenidconfiguration`)
// with a timeout per attempt and bounded retries that honour Retry-After; which statuses are retried is the failure
// model's (src/shared/failureModel.ts).
import { z } from 'zod';
import { parseRetryAfterMs } from '../acs/parseRetryAfterMs.js';
import { ensureError } from '../shared/errors.js';
import { classifyStatus } from '../shared/failureModel.js';
import { redactUrl } from '../shared/logging.js';
import { sleep } from '../shared/abort.js';
import { exponentialDelayMs } from '../shared/backoffDelayMs.js';

export const DEFAULT_OPENID_FETCH_TIMEOUT_MS = 5_000;
export const DEFAULT_OPENID_FETCH_RETRIES = 2;
export const DEFAULT_OPENID_RETRY_DELAY_MS = 250;
/** Longest Retry-After we wait for inside a callback request. */
export const MAX_OPENID_RETRY_DELAY_MS = 5_000;

/** The parts of the discovery document callback verification needs. */
export interface OpenIdConfig {
  issuer: string;
  jwksUri: string;
}

/** Options of {@link fetchOpenIdConfig}. */
export interface FetchOpenIdConfigOptions {
  /** Per-attempt timeout, default {@link DEFAULT_OPENID_FETCH_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Retries after the first attempt, default {@link DEFAULT_OPENID_FETCH_RETRIES}. */
  maxRetries?: number;
  /** Base of the exponential backoff, default {@link DEFAULT_OPENID_RETRY_DELAY_MS}. */
  retryDelayMs?: number;
  fetch?: typeof fetch;
}

export class OpenIdConfigError extends Error {
  override readonly name = 'OpenIdConfigError';
}

const discoverySchema = z.object({ issuer: z.string().min(1), jwks_uri: z.url() });

export async function fetchOpenIdConfig(url: string, options: FetchOpenIdConfigOptions = {}): Promise<OpenIdConfig> {
  const {
    timeoutMs = DEFAULT_OPENID_FETCH_TIMEOUT_MS,
    maxRetries = DEFAULT_OPENID_FETCH_RETRIES,
    retryDelayMs = DEFAULT_OPENID_RETRY_DELAY_MS,
    fetch: fetchImpl = fetch,
  } = options;
  for (let attempt = 0; ; attempt++) {
    let retryAfterMs: number | undefined;
    let failure: string;
    try {
      const res = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
      if (res.ok) {
        const parsed = discoverySchema.safeParse(await res.json());
        if (!parsed.success) throw new OpenIdConfigError(`${redactUrl(url)} is not an OpenID configuration with issuer and jwks_uri`);
        return { issuer: parsed.data.issuer, jwksUri: parsed.data.jwks_uri };
      }
      failure = `HTTP ${res.status}`;
      if (classifyStatus(res.status).kind === 'permanent') throw new OpenIdConfigError(`${redactUrl(url)} answered ${failure}`);
      retryAfterMs = parseRetryAfterMs({ get: (name) => res.headers.get(name) ?? undefined });
    } catch (e) {
      if (e instanceof OpenIdConfigError) throw e;
      failure = ensureError(e).message;
    }
    if (attempt >= maxRetries) {
      throw new OpenIdConfigError(`Could not fetch ${redactUrl(url)} after ${attempt + 1} attempt(s): ${failure}`);
    }
    await sleep(retryAfterMs === undefined ? exponentialDelayMs(attempt, retryDelayMs, MAX_OPENID_RETRY_DELAY_MS) : Math.min(retryAfterMs, MAX_OPENID_RETRY_DELAY_MS));
  }
}
