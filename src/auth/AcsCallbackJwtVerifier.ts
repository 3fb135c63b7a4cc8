// Verifies the RS256 JWT that ACS Call Automation puts in `Authorization: Bearer` on every callback (reference
// acs-recording-api.md §6.1): keys from the JWKS named by the OpenID configuration, issuer from that configuration,
// audience = the ACS immutable resource ID. Configuration and keys are cached across requests.
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { UnauthorizedError } from '../shared/errors.js';
import { AuthUnavailableError } from './AuthUnavailableError.js';
import { DEFAULT_OPENID_FETCH_TIMEOUT_MS, fetchOpenIdConfig, type FetchOpenIdConfigOptions } from './fetchOpenIdConfig.js';

/** Re-read the OpenID configuration this often (keys rotate through the JWKS; the issuer practically never changes). */
export const DEFAULT_OPENID_CONFIG_TTL_MS = 24 * 60 * 60 * 1000;
/** How long fetched signing keys are trusted before a refetch (an unknown `kid` refetches sooner, see jose's cooldown). */
export const DEFAULT_JWKS_CACHE_MAX_AGE_MS = 60 * 60 * 1000;
/** Allowed clock skew between ACS and this app when checking `exp`/`nbf`/`iat`. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
/**
 * Longest lifetime accepted (`exp` − `iat`, or `exp` − now without `iat`): a callback token is short-lived, so one
 * valid for longer was not minted for a callback, and a stolen one would stay useful for too long.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

/** Options of {@link AcsCallbackJwtVerifier}. */
export interface AcsCallbackJwtVerifierOptions extends Pick<FetchOpenIdConfigOptions, 'maxRetries' | 'retryDelayMs' | 'fetch'> {
  /** The OpenID configuration URL (`ACS_OPENID_CONFIG_URL`). */
  openIdConfigUrl: string;
  /** Timeout of each configuration and JWKS fetch, default {@link DEFAULT_OPENID_FETCH_TIMEOUT_MS}. */
  fetchTimeoutMs?: number;
  /** Default {@link DEFAULT_OPENID_CONFIG_TTL_MS}. */
  configTtlMs?: number;
  /** Default {@link DEFAULT_JWKS_CACHE_MAX_AGE_MS}. */
  jwksCacheMaxAgeMs?: number;
  /** Default {@link DEFAULT_CLOCK_TOLERANCE_SECONDS}. */
  clockToleranceSeconds?: number;
}

interface Discovery {
  issuer: string;
  keys: ReturnType<typeof createRemoteJWKSet>;
  fetchedAt: number;
}

// jose codes that mean "we could not get the keys", as opposed to "the token is bad".
const UNAVAILABLE_CODES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);

/**
 * @example
 * const verifier = new AcsCallbackJwtVerifier({ openIdConfigUrl: getConfig().callbackAuth.openIdConfigUrl });
 * await verifier.verify(bearerToken, acsResourceId); // throws UnauthorizedError (401) or AuthUnavailableError (503)
 */
export class AcsCallbackJwtVerifier {
  private loaded: Discovery | undefined;
  private pending: Promise<Discovery> | undefined;

  constructor(private readonly options: AcsCallbackJwtVerifierOptions) {}

  /** The verified claims; throws {@link UnauthorizedError} for a bad token, {@link AuthUnavailableError} when keys can't be had. */
  async verify(token: string, audience: string): Promise<JWTPayload> {
    const { issuer, keys } = await this.getDiscovery();
    const tolerance = this.options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer, audience, algorithms: ['RS256'], clockTolerance: tolerance, requiredClaims: ['exp'] }));
    } catch (e) {
      throw classify(e);
    }
    checkIssuedAtAndLifetime(payload, tolerance);
    return payload;
  }

  private async getDiscovery(): Promise<Discovery> {
    const ttl = this.options.configTtlMs ?? DEFAULT_OPENID_CONFIG_TTL_MS;
    if (this.loaded && Date.now() - this.loaded.fetchedAt < ttl) return this.loaded;
    // Concurrent callbacks share one fetch; a failure is not cached, so the next callback tries again.
    this.pending ??= this.load().finally(() => {
      this.pending = undefined;
    });
    try {
      this.loaded = await this.pending;
      return this.loaded;
    } catch (e) {
      throw new AuthUnavailableError(`Cannot verify callback tokens: ${(e as Error).message}`, { cause: e });
    }
  }

  private async load(): Promise<Discovery> {
    const timeoutMs = this.options.fetchTimeoutMs ?? DEFAULT_OPENID_FETCH_TIMEOUT_MS;
    const config = await fetchOpenIdConfig(this.options.openIdConfigUrl, { ...this.options, timeoutMs });
    const keys = createRemoteJWKSet(new URL(config.jwksUri), {
      timeoutDuration: timeoutMs,
      cacheMaxAge: this.options.jwksCacheMaxAgeMs ?? DEFAULT_JWKS_CACHE_MAX_AGE_MS,
    });
    return { issuer: config.issuer, keys, fetchedAt: Date.now() };
  }
}

/**
 * `iat`, when present, may be at most the clock tolerance in the future; the lifetime (`exp` − `iat`, or `exp` − now
 * without `iat`) at most {@link MAX_TOKEN_LIFETIME_SECONDS}. jose checks `exp`, `nbf` and the `iat` type.
 */
function checkIssuedAtAndLifetime(payload: JWTPayload, toleranceSeconds: number): void {
  const now = Math.floor(Date.now() / 1000);
  const { iat, exp } = payload;
  if (iat !== undefined && iat > now + toleranceSeconds) {
    throw new UnauthorizedError(`The callback JWT "iat" claim is ${iat - now} s in the future (at most ${toleranceSeconds} s of clock skew is allowed)`);
  }
  const lifetime = exp! - (iat ?? now);
  if (lifetime > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new UnauthorizedError(`The callback JWT is valid for ${lifetime} s; at most ${MAX_TOKEN_LIFETIME_SECONDS} s (24 h) is accepted`);
  }
}

function classify(e: unknown): Error {
  if (e instanceof errors.JWTExpired) return new UnauthorizedError('The callback JWT has expired');
  if (e instanceof errors.JWTClaimValidationFailed) {
    return new UnauthorizedError(`The callback JWT "${e.claim}" claim is not valid (${e.reason}): ${e.message}`);
  }
  if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWSSignatureVerificationFailed) {
    return new UnauthorizedError('The callback JWT is not signed by a key of the configured ACS OpenID configuration');
  }
  if (e instanceof errors.JOSEError && !UNAVAILABLE_CODES.has(e.code)) {
    return new UnauthorizedError(`The callback JWT is not valid: ${e.message}`);
  }
  // Key fetch failed (timeout, network, non-200): fail closed, but as "try again", not "you are wrong".
  return new AuthUnavailableError(`Cannot verify callback tokens: could not fetch the signing keys (${(e as Error).message})`, { cause: e });
}
