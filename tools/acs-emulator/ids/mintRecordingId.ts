// Recording ids in the real style: base64 (with padding) of a small JSON document (reference §1.3).
import { randomInt, randomUUID } from 'node:crypto';

// '?', '>' and '~' are the ASCII characters that turn into '/' and '+' in base64; mixing them into the nonce
// makes sure the minted ids exercise URL encoding of '/', '+' and '=' in every client.
const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789?>~';
// With two GUIDs the JSON is 146 bytes for a 14-character nonce: 146 % 3 = 2, so the id always ends in '='.
const NONCE_LENGTH = 14;
const MAX_ATTEMPTS = 100_000;

function nonce(): string {
  let s = '';
  for (let i = 0; i < NONCE_LENGTH; i++) s += NONCE_ALPHABET[randomInt(NONCE_ALPHABET.length)];
  return s;
}

/** True when the id contains every character that needs percent-encoding in a URL path segment. */
export function hasAllSpecialBase64Chars(id: string): boolean {
  return id.includes('/') && id.includes('+') && id.includes('=');
}

/** A fresh recording id, e.g. base64 of `{"PlatformEndpointId":"…","ResourceSpecificId":"…","Nonce":"…"}`, containing '/', '+' and '='. */
export function mintRecordingId(): string {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const json = JSON.stringify({ PlatformEndpointId: randomUUID(), ResourceSpecificId: randomUUID(), Nonce: nonce() });
    const id = Buffer.from(json, 'utf8').toString('base64');
    if (hasAllSpecialBase64Chars(id)) return id;
  }
  throw new Error('could not mint a recording id containing /, + and =');
}
