import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from '../../src/calls/base64Url.js';
import { fromRecordingRouteId, toRecordingRouteId } from '../../src/calls/recordingIdEncoding.js';
import { ValidationError } from '../../src/shared/errors.js';
import { stateTableKey, MAX_PLAIN_KEY_LENGTH } from '../../src/calls/stateTableKey.js';

// A recording id in the real style: base64 of JSON, containing '/', '+' and '='.
const recordingId = 'eyJQbGF0Zm9ybUVuZHBvaW50SWQiOiI/Pz4+fn4iLCJOb25jZSI6Ij8/Pz4+In0=';

describe('base64url ids', () => {
  it('round-trips ids with /, + and = and never emits them', () => {
    expect(recordingId).toMatch(/[/+=]/);
    const id = toRecordingRouteId(recordingId);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(id).toBe(Buffer.from(recordingId, 'utf8').toString('base64url'));
    expect(fromRecordingRouteId(id)).toBe(recordingId);
    expect(decodeBase64Url(encodeBase64Url('ü ✓ 😀'))).toBe('ü ✓ 😀');
  });

  it.each([
    ['padding', `${encodeBase64Url('ab')}==`],
    ['standard-base64 characters', 'ab+/'],
    ['a dangling character', 'abcde'],
    ['non-zero trailing bits (non-canonical)', 'YR'],
    ['bytes that are not UTF-8', Buffer.from([0xff, 0xfe]).toString('base64url')],
    ['empty', ''],
    ['percent-encoding', 'ab%2Fcd'],
  ])('rejects %s', (_what, value) => {
    expect(decodeBase64Url(value)).toBeUndefined();
    expect(() => fromRecordingRouteId(value)).toThrow(ValidationError);
  });

  it('keeps table keys free of / \\ # ? and within the key size limit', () => {
    const key = stateTableKey(recordingId);
    expect(key).not.toMatch(/[/\\#?]/);
    expect(key).toBe(encodeBase64Url(recordingId));
    const long = 'x/'.repeat(400);
    const hashed = stateTableKey(long);
    expect(hashed.startsWith('~')).toBe(true);
    expect(hashed.length).toBeLessThanOrEqual(MAX_PLAIN_KEY_LENGTH);
    expect(stateTableKey(long)).toBe(hashed);
    expect(stateTableKey(`${long}y`)).not.toBe(hashed);
  });
});
