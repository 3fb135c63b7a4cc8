import { describe, expect, it } from 'vitest';
import type { AcsCallbackJwtVerifier } from '../../src/auth/AcsCallbackJwtVerifier.js';
import { authenticateCallback } from '../../src/auth/authenticateCallback.js';
import { callbackTokenMatches } from '../../src/auth/callbackTokenMatches.js';
import type { CallbackAuthConfig } from '../../src/config.js';
import { UnauthorizedError } from '../../src/shared/errors.js';

// The combination rules; real JWT verification is covered in AcsCallbackJwtVerifier.test.ts and through the function.
const openIdConfigUrl = 'http://127.0.0.1:1/unused';
const verified: string[] = [];
const verifier = { verify: (token: string) => (verified.push(token), Promise.resolve({})) } as unknown as AcsCallbackJwtVerifier;
const cfg = (c: Partial<CallbackAuthConfig>): CallbackAuthConfig => ({ openIdConfigUrl, allowUnauthenticated: false, ...c });

describe('authenticateCallback', () => {
  it('refuses everything when nothing is configured', async () => {
    await expect(authenticateCallback({ token: 'x', authorization: 'Bearer y' }, cfg({}), () => verifier)).rejects.toThrow(/not configured/);
  });

  it('allows unauthenticated callbacks only with CALLBACK_AUTH=none', async () => {
    await expect(authenticateCallback({}, cfg({ allowUnauthenticated: true }), () => verifier)).resolves.toEqual(['none']);
  });

  it('still enforces configured checks when CALLBACK_AUTH=none is also set', async () => {
    await expect(authenticateCallback({}, cfg({ allowUnauthenticated: true, callbackToken: 't' }), () => verifier)).rejects.toThrow(UnauthorizedError);
  });

  it.each<[string, Parameters<typeof authenticateCallback>[0], RegExp]>([
    ['a missing token', { authorization: 'Bearer a.b.c' }, /no token/],
    ['a wrong token', { token: 'wrong', authorization: 'Bearer a.b.c' }, /does not match/],
    ['a missing bearer', { token: 't' }, /Authorization: Bearer/],
    ['a non-bearer scheme', { token: 't', authorization: 'Basic abc' }, /Authorization: Bearer/],
  ])('with both configured, refuses %s', async (_name, credentials, message) => {
    await expect(authenticateCallback(credentials, cfg({ callbackToken: 't', acsResourceId: 'res' }), () => verifier)).rejects.toThrow(message);
  });

  it('with both configured, needs both', async () => {
    verified.length = 0;
    await expect(
      authenticateCallback({ token: 't', authorization: 'Bearer a.b.c' }, cfg({ callbackToken: 't', acsResourceId: 'res' }), () => verifier),
    ).resolves.toEqual(['token', 'jwt']);
    expect(verified).toEqual(['a.b.c']);
  });

  it('compares tokens exactly, whatever their lengths', () => {
    expect(callbackTokenMatches('abc', 'abc')).toBe(true);
    expect(callbackTokenMatches('abc', 'abd')).toBe(false);
    expect(callbackTokenMatches('abc', 'abcd')).toBe(false);
    expect(callbackTokenMatches('', 'abc')).toBe(false);
  });
});
