// Authentication of Call Automation callbacks, failing closed: every configured check must pass, and with no check
// configured callbacks are refused unless CALLBACK_AUTH=none was set explicitly.
import { perConfig, type CallbackAuthConfig } from '../config.js';
import { UnauthorizedError } from '../shared/errors.js';
import { AcsCallbackJwtVerifier } from './AcsCallbackJwtVerifier.js';
import { callbackTokenMatches } from './callbackTokenMatches.js';

/** The process-wide verifier: one per configuration, so its OpenID configuration and keys are cached across invocations. */
export const callbackJwtVerifier = perConfig((config) => new AcsCallbackJwtVerifier({ openIdConfigUrl: config.callbackAuth.openIdConfigUrl }));

/** What the request presented. */
export interface CallbackCredentials {
  /** The `Authorization` header, if any. */
  authorization?: string | null;
  /** The `token` query parameter, if any. */
  token?: string | null;
}

/** Which checks passed (for the log line). */
export type CallbackAuthMethod = 'jwt' | 'token' | 'none';

/**
 * Resolves with the checks that passed; throws {@link UnauthorizedError} (401) saying what is wrong, or
 * `AuthUnavailableError` (503) when the ACS signing keys cannot be fetched.
 */
export async function authenticateCallback(
  credentials: CallbackCredentials,
  config: CallbackAuthConfig,
  getVerifier: () => AcsCallbackJwtVerifier = () => callbackJwtVerifier.get(),
): Promise<CallbackAuthMethod[]> {
  const { acsResourceId, callbackToken, allowUnauthenticated } = config;
  if (!acsResourceId && !callbackToken) {
    if (allowUnauthenticated) return ['none'];
    throw new UnauthorizedError(
      'Callback authentication is not configured: set ACS_RESOURCE_ID (ACS JWT) and/or CALLBACK_TOKEN, or CALLBACK_AUTH=none for local use only',
    );
  }
  const passed: CallbackAuthMethod[] = [];
  if (callbackToken) {
    if (!credentials.token) throw new UnauthorizedError('The callback URL has no token query parameter');
    if (!callbackTokenMatches(credentials.token, callbackToken)) {
      throw new UnauthorizedError('The callback URL token query parameter does not match CALLBACK_TOKEN');
    }
    passed.push('token');
  }
  if (acsResourceId) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(credentials.authorization ?? '');
    if (!match?.[1]) throw new UnauthorizedError('The callback has no Authorization: Bearer <ACS JWT> header');
    await getVerifier().verify(match[1], acsResourceId);
    passed.push('jwt');
  }
  return passed;
}
