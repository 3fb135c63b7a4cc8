// Server-side verification of ACS HMAC-SHA256 request signing (reference §2.2–§2.4).
//
// The client signs  `${VERB}\n${pathAndQuery}\n${x-ms-date};${host};${x-ms-content-sha256}`
// with HMAC-SHA256 keyed by the base64-DECODED access key, and sends
//   Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=<base64>
// Fails closed: anything missing, malformed, stale or mismatched is a failure with a reason (for logs/tests).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from '../pipeline/RequestContext.js';

const REQUIRED_SIGNED_HEADERS = ['x-ms-date', 'host', 'x-ms-content-sha256'] as const;

/** base64(SHA-256(body)) over the raw bytes. */
export function computeContentHash(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('base64');
}

/** base64(HMAC-SHA256(base64decode(accessKey), stringToSign)). */
export function computeSignature(accessKey: string, stringToSign: string): string {
  return createHmac('sha256', Buffer.from(accessKey, 'base64')).update(stringToSign, 'utf8').digest('base64');
}

/** `HMAC-SHA256 SignedHeaders=a;b;c&Signature=xyz` → its parts, or undefined when not that scheme. */
export function parseHmacAuthorization(value: string | undefined): { signedHeaders: string[]; signature: string } | undefined {
  const m = /^HMAC-SHA256\s+(.+)$/i.exec(value?.trim() ?? '');
  if (!m) return undefined;
  const params = new Map<string, string>();
  for (const part of m[1]!.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const signedHeaders = params.get('signedheaders');
  const signature = params.get('signature');
  if (!signedHeaders || !signature) return undefined;
  return { signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()), signature };
}

export interface HmacVerificationInput {
  method: string;
  /** What the client signed as path+query: the raw request-target for `/calling/*`, only the pathname for media. */
  signedPathAndQuery: string;
  headers: IncomingHttpHeaders;
  /** Raw request body bytes. */
  body: Uint8Array;
  accessKey: string;
  maxClockSkewMs: number;
  now?: Date;
}

export type HmacVerdict = { ok: true } | { ok: false; reason: string };

/** Verifies one request per reference §2.4. Replays are accepted on purpose: pipeline retries reuse signatures. */
export function verifyHmacRequest(input: HmacVerificationInput): HmacVerdict {
  const { headers } = input;
  const auth = parseHmacAuthorization(headerValue(headers, 'authorization'));
  if (!auth) return { ok: false, reason: 'missing or non-HMAC Authorization header' };
  for (const required of REQUIRED_SIGNED_HEADERS) {
    if (!auth.signedHeaders.includes(required)) return { ok: false, reason: `SignedHeaders lacks ${required}` };
  }

  const date = headerValue(headers, 'x-ms-date');
  if (!date) return { ok: false, reason: 'missing x-ms-date' };
  const signedAt = Date.parse(date);
  if (Number.isNaN(signedAt)) return { ok: false, reason: 'unparseable x-ms-date' };
  const now = (input.now ?? new Date()).getTime();
  if (Math.abs(now - signedAt) > input.maxClockSkewMs) return { ok: false, reason: 'x-ms-date outside the allowed clock skew' };

  const claimedHash = headerValue(headers, 'x-ms-content-sha256');
  if (!claimedHash) return { ok: false, reason: 'missing x-ms-content-sha256' };
  if (computeContentHash(input.body) !== claimedHash) return { ok: false, reason: 'x-ms-content-sha256 does not match the body' };

  // Step 3: the host that was signed is x-ms-host when present (media requests), else the received Host header.
  const host = headerValue(headers, 'x-ms-host') ?? headerValue(headers, 'host');
  if (!host) return { ok: false, reason: 'missing Host' };

  const values: string[] = [];
  for (const name of auth.signedHeaders) {
    const value = name === 'host' ? host : headerValue(headers, name);
    if (value === undefined) return { ok: false, reason: `signed header ${name} is missing` };
    values.push(value);
  }
  const stringToSign = `${input.method.toUpperCase()}\n${input.signedPathAndQuery}\n${values.join(';')}`;
  const expected = Buffer.from(computeSignature(input.accessKey, stringToSign), 'base64');
  const given = Buffer.from(auth.signature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
