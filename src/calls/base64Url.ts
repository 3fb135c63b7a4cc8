// base64url (RFC 4648 §5, no padding) of a string's UTF-8 bytes, with a strict decoder. ACS serverCallIds and
// recordingIds are base64 with `/`, `+`, `=`: none of those may appear in a Table Storage key, and the Functions
// front end rejects `%2F` in a route segment, so both the table keys and the control API's `{id}` use this form.

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `Buffer.from(value, 'utf8').toString('base64url')`: URL- and table-key-safe, unpadded. */
export function encodeBase64Url(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64url');
}

/**
 * The string whose UTF-8 bytes `encoded` is the canonical base64url of, or `undefined` when `encoded` is not exactly
 * that: other characters, padding, a dangling character, non-zero trailing bits or bytes that are not UTF-8.
 * Node's own decoder silently skips such input, which would let two `{id}` values address the same recording.
 */
export function decodeBase64Url(encoded: string): string | undefined {
  if (!BASE64URL.test(encoded) || encoded.length % 4 === 1) return undefined;
  const bytes = Buffer.from(encoded, 'base64url');
  if (bytes.toString('base64url') !== encoded) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
