// How long the service asked us to wait, from the three headers Azure services use for it.
import type { HttpHeaders } from '@azure/core-rest-pipeline';

/** Header names in precedence order: the millisecond variants are more precise than `Retry-After`. */
const MS_HEADERS = ['retry-after-ms', 'x-ms-retry-after-ms'] as const;

/**
 * The wait the response asks for, in milliseconds, or `undefined` when it asks for none (or says nonsense).
 *
 * - `retry-after-ms` / `x-ms-retry-after-ms`: a number of milliseconds.
 * - `Retry-After`: delay-seconds (RFC 9110 §10.2.3) or an HTTP-date, measured against `nowMs`; a date in the past → 0.
 *
 * @example parseRetryAfterMs(createHttpHeaders({ 'retry-after': '2' })) // 2000
 */
export function parseRetryAfterMs(headers: Pick<HttpHeaders, 'get'>, nowMs: number = Date.now()): number | undefined {
  for (const name of MS_HEADERS) {
    const ms = parseNonNegativeNumber(headers.get(name));
    if (ms !== undefined) return Math.round(ms);
  }
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  const seconds = parseNonNegativeNumber(value);
  if (seconds !== undefined) return Math.round(seconds * 1000);
  // Only an IMF-fixdate-looking value is treated as a date; Date.parse alone would accept "1 2" and the like.
  if (!/^[A-Za-z]{3},\s/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

function parseNonNegativeNumber(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
