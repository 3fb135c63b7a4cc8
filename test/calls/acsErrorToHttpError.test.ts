import { describe, expect, it } from 'vitest';
import { AcsRequestError } from '../../src/acs/errors.js';
import { acsErrorToHttpError, DEFAULT_THROTTLED_RETRY_AFTER_SECONDS } from '../../src/calls/acsErrorToHttpError.js';
import { toApiResponse } from '../../src/calls/toApiResponse.js';
import { silentLogger } from '../../src/shared/logging.js';
import { StateStoreError } from '../../src/calls/TableCallStateStore.js';

describe('acsErrorToHttpError', () => {
  it.each<[number | undefined, number]>([
    [400, 400],
    [404, 404],
    [409, 409],
    [401, 502],
    [403, 502],
    [429, 503],
    [500, 502],
    [503, 502],
    [undefined, 502],
  ])('ACS %s → %s, keeping the ACS code', (acs, expected) => {
    const mapped = acsErrorToHttpError(new AcsRequestError('boom', acs, 'SomeAcsCode', { requestId: 'req-1' }));
    expect(mapped.status).toBe(expected);
    expect(mapped.code).toBe('SomeAcsCode');
    expect(mapped.details).toEqual({ acsStatus: acs ?? null, acsRequestId: 'req-1' });
  });

  it('answers a throttled ACS with 503 and Retry-After', () => {
    expect(toApiResponse(new AcsRequestError('slow down', 429, 'TooManyRequests', { retryAfterMs: 2500 }), silentLogger)).toMatchObject({
      status: 503,
      headers: { 'Retry-After': '3' },
      jsonBody: { error: { code: 'TooManyRequests' } },
    });
    expect(acsErrorToHttpError(new AcsRequestError('slow down', 429, 'TooManyRequests')).retryAfterSeconds).toBe(DEFAULT_THROTTLED_RETRY_AFTER_SECONDS);
  });

  it('answers state-table failures with 503', () => {
    expect(toApiResponse(new StateStoreError('Could not insert call row: ECONNREFUSED'), silentLogger)).toEqual({
      status: 503,
      jsonBody: { error: { code: 'StateStoreUnavailable', message: 'The call state store is unavailable; retry later' } },
    });
  });

  it('answers unknown errors with a bare 500', () => {
    expect(toApiResponse(new Error('secret detail'), silentLogger)).toEqual({
      status: 500,
      jsonBody: { error: { code: 'InternalError', message: 'An internal error occurred.' } },
    });
  });
});
