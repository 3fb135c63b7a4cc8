// serverCallIds in the real style: base64 (with padding) of a conversation URL (reference §1.3, §4a).
import { randomBytes, randomInt } from 'node:crypto';

const MAX_ATTEMPTS = 10_000;

/** A fresh serverCallId; always contains '/' and '=' (the '?' of the URL and the padding) like real ones often do. */
export function mintServerCallId(): string {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    // Varying the conversation id length moves the '?' across base64 groups; only some alignments yield '/'.
    const conv = randomBytes(18).toString('base64url').slice(0, randomInt(20, 25));
    const e = `6385${String(randomInt(1e9)).padStart(9, '0')}${String(randomInt(1e5)).padStart(5, '0')}`;
    const url = `https://api.flightproxy.skype.com/api/v2/cp/conv-usea2-0${randomInt(1, 10)}-prod-aks.conv.skype.com/conv/${conv}?i=10-128-${randomInt(256)}-${randomInt(256)}&e=${e}`;
    const id = Buffer.from(url, 'utf8').toString('base64');
    if (id.includes('/') && id.endsWith('=')) return id;
  }
  throw new Error('could not mint a serverCallId');
}

/** True when `id` is standard base64 with correct padding (what the real service requires of a serverCallId). */
export function isBase64(id: string): boolean {
  return id.length > 0 && id.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(id);
}
