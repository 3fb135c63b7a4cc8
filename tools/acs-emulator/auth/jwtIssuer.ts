// Signs callback JWTs like Call Automation does (reference §6.1): RS256, iss = issuer, aud = ACS resource id,
// 5-minute lifetime, `kid` in the header, verifiable with the JWKS served at /calling/keys.
// A second "foreign" key (not in the JWKS) signs tokens that a correct verifier must reject.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { DEFAULT_TOKEN_LIFETIME_SECONDS } from '../defaults.js';

interface SigningKey {
  privateKey: CryptoKey;
  publicJwk: JWK & { kid: string };
}

async function createSigningKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, publicJwk: { ...jwk, kid, use: 'sig', alg: 'RS256' } };
}

export interface MintTokenOptions {
  /** Default 300 (5 minutes). Negative values mint already-expired tokens. */
  expiresInSeconds?: number;
  /** `foreign` signs with a key that is not published in the JWKS. Default `emulator`. */
  key?: 'emulator' | 'foreign';
}

export class JwtIssuer {
  private foreign?: Promise<SigningKey>;

  private constructor(
    readonly issuer: string,
    readonly audience: string,
    private readonly key: SigningKey,
  ) {}

  /** Generates the RS256 signing key (takes a moment: RSA key generation). */
  static async create(issuer: string, audience: string): Promise<JwtIssuer> {
    return new JwtIssuer(issuer, audience, await createSigningKey());
  }

  /** The JWKS document served at `/calling/keys`: only the emulator's own public key. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.key.publicJwk] };
  }

  /** A signed token; `claims` are merged over the defaults (so tests can override `aud`, `iss`, …). */
  async mint(claims: Record<string, unknown> = {}, options: MintTokenOptions = {}): Promise<string> {
    const key = options.key === 'foreign' ? await (this.foreign ??= createSigningKey()) : this.key;
    const now = Math.floor(Date.now() / 1000);
    const lifetime = options.expiresInSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
    const payload = { iss: this.issuer, aud: this.audience, iat: now, nbf: Math.min(now, now + lifetime), exp: now + lifetime, ...claims };
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.publicJwk.kid }).sign(key.privateKey);
  }
}
