// Table Storage keys for serverCallIds and recordingIds. Keys may not contain `/ \ # ?` (ACS IDs are base64 and
// contain `/`), and are limited to 1 KiB, so an ID is stored under its base64url form, or, when that would be too
// long, under a SHA-256 digest marked with `~` (a character base64url never produces, so the two forms cannot collide).
import { createHash } from 'node:crypto';
import { encodeBase64Url } from './base64Url.js';

/** Longest base64url key kept verbatim: 1 KiB of UTF-16 is 512 characters; leave headroom. */
export const MAX_PLAIN_KEY_LENGTH = 480;

/** The PartitionKey under which the rows of an ACS ID are stored. */
export function stateTableKey(id: string): string {
  const encoded = encodeBase64Url(id);
  if (encoded.length <= MAX_PLAIN_KEY_LENGTH) return encoded;
  return `~${createHash('sha256').update(id, 'utf8').digest('base64url')}`;
}
