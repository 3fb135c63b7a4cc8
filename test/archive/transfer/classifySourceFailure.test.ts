import { describe, expect, it } from 'vitest';
import { AcsRequestError, DisallowedUrlError } from '../../../src/acs/errors.js';
import { classifySourceFailure } from '../../../src/archive/transfer/classifySourceFailure.js';
import { TransferVerificationError } from '../../../src/archive/transfer/errors.js';

const acs = (status: number | undefined, retryAfterMs?: number) =>
  new AcsRequestError('x', status, status === undefined ? 'NetworkError' : 'HttpError', retryAfterMs === undefined ? undefined : { retryAfterMs });

describe('classifySourceFailure', () => {
  it.each([
    ['network error', acs(undefined), { retry: true }],
    ['500', acs(500), { retry: true }],
    ['503', acs(503), { retry: true }],
    ['408', acs(408), { retry: true }],
    ['429 with Retry-After', acs(429, 1500), { retry: true, retryAfterMs: 1500 }],
    ['400', acs(400), { retry: false }],
    ['401', acs(401), { retry: false }],
    ['403', acs(403), { retry: false }],
    ['404 (expired)', acs(404), { retry: false }],
    ['410', acs(410), { retry: false }],
    ['416', Object.assign(new Error('range'), { statusCode: 416 }), { retry: false }],
    ['plain 502 object', { status: 502 }, { retry: true }],
    ['connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), { retry: true }],
    ['disallowed URL', new DisallowedUrlError('no'), { retry: false }],
    ['verification failure', new TransferVerificationError('SizeMismatch', 'no'), { retry: false }],
    ['abort', new DOMException('aborted', 'AbortError'), { retry: false }],
  ])('%s', (_name, error, expected) => {
    expect(classifySourceFailure(error)).toEqual(expected);
  });
});
