import { createHttpHeaders, RestError } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { decideRetry, DEFAULT_MAX_RETRIES, type AttemptOutcome } from '../../src/acs/decideRetry.js';
import { parseRetryAfterMs } from '../../src/acs/parseRetryAfterMs.js';

const NOW = Date.parse('Tue, 12 Oct 2021 00:00:36 GMT');
const res = (status: number, headers: Record<string, string> = {}): AttemptOutcome => ({
  response: { status, headers: createHttpHeaders(headers) },
});
const sysError = (code: string) => Object.assign(new Error(code), { code });
const abortError = () => Object.assign(new Error('aborted'), { name: 'AbortError' });
// random() = 1 → the top of the jitter band, so exponential delays are exact: base * 2^attempt (capped).
const opts = { random: () => 1, retryDelayMs: 1000, maxRetryDelayMs: 8000, nowMs: NOW };

describe('decideRetry', () => {
  it.each<[string, AttemptOutcome, number, ReturnType<typeof decideRetry>]>([
    ['200 → stop', res(200), 0, { stop: true }],
    ['202 → stop', res(202), 0, { stop: true }],
    ['400 → stop', res(400), 0, { stop: true }],
    ['401 → stop', res(401), 0, { stop: true }],
    ['404 → stop', res(404), 0, { stop: true }],
    ['501 → stop', res(501), 0, { stop: true }],
    ['505 → stop', res(505), 0, { stop: true }],
    ['408 → backoff', res(408), 0, { retryAfterMs: 1000 }],
    ['500 → backoff', res(500), 0, { retryAfterMs: 1000 }],
    ['502 attempt 1 → doubled', res(502), 1, { retryAfterMs: 2000 }],
    ['504 attempt 3 → capped', res(504), 3, { retryAfterMs: 8000 }],
    ['429 without Retry-After → backoff', res(429), 0, { retryAfterMs: 1000 }],
    ['429 Retry-After: 3 → exactly 3 s', res(429, { 'retry-after': '3' }), 0, { retryAfterMs: 3000 }],
    ['503 Retry-After date → until then', res(503, { 'retry-after': 'Tue, 12 Oct 2021 00:00:41 GMT' }), 0, { retryAfterMs: 5000 }],
    ['429 retry-after-ms wins', res(429, { 'retry-after-ms': '250', 'retry-after': '9' }), 0, { retryAfterMs: 250 }],
    ['503 x-ms-retry-after-ms', res(503, { 'x-ms-retry-after-ms': '1500' }), 0, { retryAfterMs: 1500 }],
    ['429 Retry-After beyond the in-process cap → stop', res(429, { 'retry-after': '3600' }), 0, { stop: true }],
    ['500 at max retries → stop', res(500), DEFAULT_MAX_RETRIES, { stop: true }],
    ['ECONNRESET → backoff', { error: sysError('ECONNRESET') }, 0, { retryAfterMs: 1000 }],
    ['ECONNREFUSED → backoff', { error: sysError('ECONNREFUSED') }, 2, { retryAfterMs: 4000 }],
    ['REQUEST_SEND_ERROR → backoff', { error: new RestError('socket hang up', { code: RestError.REQUEST_SEND_ERROR }) }, 0, { retryAfterMs: 1000 }],
    ['undici socket error → backoff', { error: sysError('UND_ERR_SOCKET') }, 0, { retryAfterMs: 1000 }],
    ['fetch failed, ECONNRESET in its cause → backoff', { error: new TypeError('fetch failed', { cause: sysError('ECONNRESET') }) }, 0, { retryAfterMs: 1000 }],
    ['timeout (AbortError, caller did not abort) → backoff', { error: abortError() }, 0, { retryAfterMs: 1000 }],
    ['caller abort → stop', { error: abortError(), aborted: true }, 0, { stop: true }],
    ['programming error → stop', { error: new TypeError('x is undefined') }, 0, { stop: true }],
    ['non-Error throw → stop', { error: 'boom' }, 0, { stop: true }],
  ])('%s', (_name, outcome, attempt, expected) => {
    expect(decideRetry(outcome, attempt, opts)).toEqual(expected);
  });

  it('jitters within [half, full] of the exponential step', () => {
    expect(decideRetry(res(500), 2, { ...opts, random: () => 0 })).toEqual({ retryAfterMs: 2000 });
    expect(decideRetry(res(500), 2, { ...opts, random: () => 0.5 })).toEqual({ retryAfterMs: 3000 });
    expect(decideRetry(res(500), 2, { ...opts, random: () => 0.999999 })).toEqual({ retryAfterMs: 4000 });
  });

  it('honours maxRetries: 0 (no retries at all)', () => {
    expect(decideRetry(res(503), 0, { ...opts, maxRetries: 0 })).toEqual({ stop: true });
  });
});

describe('parseRetryAfterMs', () => {
  it.each<[Record<string, string>, number | undefined]>([
    [{}, undefined],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': ' 7 ' }, 7000],
    [{ 'retry-after': '1.5' }, 1500],
    [{ 'retry-after': 'Tue, 12 Oct 2021 00:01:36 GMT' }, 60_000],
    [{ 'retry-after': 'Tue, 12 Oct 2021 00:00:00 GMT' }, 0], // in the past → now
    [{ 'retry-after': '-5' }, undefined],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after': '1 2' }, undefined],
    [{ 'retry-after-ms': '120' }, 120],
    [{ 'x-ms-retry-after-ms': '80', 'retry-after': '1' }, 80],
    [{ 'retry-after-ms': 'bad', 'retry-after': '1' }, 1000],
  ])('%j → %s', (headers, expected) => {
    expect(parseRetryAfterMs(createHttpHeaders(headers), NOW)).toBe(expected);
  });
});
