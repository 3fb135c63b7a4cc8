import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcsCallbackJwtVerifier } from '../../src/auth/AcsCallbackJwtVerifier.js';
import { AuthUnavailableError } from '../../src/auth/AuthUnavailableError.js';
import { UnauthorizedError } from '../../src/shared/errors.js';
import { startAcsEmulator, type AcsEmulator } from '../../tools/acs-emulator/index.js';

// The emulator serves the OpenID configuration and JWKS on loopback and mints tokens like Call Automation's.
let emu: AcsEmulator;
beforeAll(async () => {
  emu = await startAcsEmulator();
});
afterAll(async () => {
  await emu.close();
});

const verifier = () => new AcsCallbackJwtVerifier({ openIdConfigUrl: emu.openIdConfigUrl, retryDelayMs: 10 });
const count = (operation: string) => emu.requests.filter((r) => r.operation === operation).length;

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('AcsCallbackJwtVerifier', () => {
  it('accepts an iat within the clock tolerance in the future and a lifetime of exactly 24 h', async () => {
    const v = verifier();
    const early = nowSeconds() + 20;
    await expect(v.verify(await emu.mintCallbackToken({ iat: early, nbf: nowSeconds() }), emu.resourceId)).resolves.toMatchObject({ aud: emu.resourceId, iss: emu.issuer, iat: early });
    const iat = nowSeconds();
    await expect(v.verify(await emu.mintCallbackToken({ iat, exp: iat + 24 * 3600 }), emu.resourceId)).resolves.toMatchObject({ aud: emu.resourceId, iss: emu.issuer, iat, exp: iat + 24 * 3600 });
  });

  it('accepts a token of the configured resource, signed by a JWKS key, from the configured issuer', async () => {
    const payload = await verifier().verify(await emu.mintCallbackToken(), emu.resourceId);
    expect(payload).toMatchObject({ aud: emu.resourceId, iss: emu.issuer });
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['an expired token', () => emu.mintCallbackToken({}, { expiresInSeconds: -600 }), /expired/],
    ['another audience', () => emu.mintCallbackToken({ aud: '00000000-0000-0000-0000-000000000000' }), /"aud" claim/],
    ['another issuer', () => emu.mintCallbackToken({ iss: 'https://evil.example' }), /"iss" claim/],
    ['a key outside the JWKS', () => emu.mintCallbackToken({}, { key: 'foreign' }), /not signed by a key/],
    ['HS256 instead of RS256', () => new SignJWT({ aud: emu.resourceId, iss: emu.issuer }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new Uint8Array(32)), /not valid/],
    ['not a JWT at all', () => Promise.resolve('not-a-jwt'), /not valid/],
    ['an iat 10 minutes in the future', () => emu.mintCallbackToken({ iat: nowSeconds() + 600, nbf: nowSeconds() - 10 }), /"iat" claim is \d+ s in the future/],
    ['a lifetime (exp − iat) of 25 h', () => emu.mintCallbackToken({ iat: nowSeconds() - 3600 }, { expiresInSeconds: 24 * 3600 }), /valid for 90000 s/],
    ['no iat and exp 25 h away', () => emu.mintCallbackToken({ iat: undefined }, { expiresInSeconds: 25 * 3600 }), /at most 86400 s/],
  ])('refuses %s with 401', async (_name, token, message) => {
    const e = await rejection(verifier().verify(await token(), emu.resourceId));
    expect(e).toBeInstanceOf(UnauthorizedError);
    expect((e as UnauthorizedError).status).toBe(401);
    expect(e.message).toMatch(message);
  });

  it('fetches the OpenID configuration and keys once for many verifications', async () => {
    const v = verifier();
    const [openid, jwks] = [count('openid'), count('jwks')];
    for (let i = 0; i < 3; i++) await v.verify(await emu.mintCallbackToken(), emu.resourceId);
    expect(count('openid') - openid).toBe(1);
    expect(count('jwks') - jwks).toBe(1);
  });

  it('retries a failing OpenID configuration fetch', async () => {
    const openid = count('openid');
    emu.injectFault({ operation: 'openid', times: 1, fault: { type: 'status', status: 503 } });
    await verifier().verify(await emu.mintCallbackToken(), emu.resourceId);
    expect(count('openid') - openid).toBe(2);
  });

  it('fails closed with 503 when the keys cannot be had, and tries again next time', async () => {
    const v = verifier();
    emu.injectFault({ operation: 'openid', times: 3, fault: { type: 'status', status: 500 } });
    const e = await rejection(v.verify(await emu.mintCallbackToken(), emu.resourceId));
    expect(e).toBeInstanceOf(AuthUnavailableError);
    expect((e as AuthUnavailableError).status).toBe(503);
    // The failure was not cached.
    await expect(v.verify(await emu.mintCallbackToken(), emu.resourceId)).resolves.toMatchObject({ aud: emu.resourceId });
  });

  it('answers 503 when the OpenID configuration URL is unreachable', async () => {
    const v = new AcsCallbackJwtVerifier({ openIdConfigUrl: 'http://127.0.0.1:1/calling/.well-known/acsopenidconfiguration', maxRetries: 0 });
    expect(await rejection(v.verify(await emu.mintCallbackToken(), emu.resourceId))).toBeInstanceOf(AuthUnavailableError);
  });
});
