// Auth stage: HMAC for every recording and media operation; fails closed (bearer tokens, missing or bad
// signatures → 401 in the addressed surface's shape). Anonymous routes (OpenID, JWKS, unknown paths) pass.
import { verifyHmacRequest } from '../auth/hmacAuthenticator.js';
import { AcsErrors, AmsErrors, type EmulatorError } from '../errors/acsErrors.js';
import type { RequestContext } from './RequestContext.js';

export interface AuthSettings {
  accessKey: string;
  maxClockSkewMs: number;
}

/** Marks `ctx.entry.authenticated`, or throws the surface's 401. */
export function authenticate(ctx: RequestContext, settings: AuthSettings): void {
  if (ctx.route.auth === 'anonymous') return;
  // Media requests are signed for `{acs origin}{storage pathname}`: the query is not part of the signature (§3.2).
  const signedPathAndQuery = ctx.route.signedPath === 'pathname' ? ctx.pathname : ctx.rawTarget;
  const verdict = verifyHmacRequest({
    method: ctx.method,
    signedPathAndQuery,
    headers: ctx.headers,
    body: ctx.body,
    accessKey: settings.accessKey,
    maxClockSkewMs: settings.maxClockSkewMs,
  });
  if (verdict.ok) {
    ctx.entry.authenticated = true;
    return;
  }
  const error: EmulatorError = ctx.route.surface === 'media' ? AmsErrors.unauthorized() : AcsErrors.denied();
  // Not a header the real service sends; it tells test authors why a request was refused.
  error.response.headers = { ...error.response.headers, 'x-emulator-auth-failure': verdict.reason };
  throw error;
}
