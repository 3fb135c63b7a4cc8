// What the pipeline knows about one request as it moves through the stages.
import type { IncomingHttpHeaders } from 'node:http';
import type { FaultKind, RequestLogEntry } from '../types.js';
import type { Route } from './resolveRoute.js';

export interface RequestContext {
  method: string;
  /** Raw request-target as received (path + query, still percent-encoded). */
  rawTarget: string;
  pathname: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body bytes. */
  body: Buffer;
  route: Route;
  entry: RequestLogEntry;
  /** A body fault (`reset`, `slow`, `zeroHead`) to apply when writing the response. */
  bodyFault?: Extract<FaultKind, { type: 'reset' | 'slow' | 'zeroHead' }>;
}

/** The first value of a request header (IncomingHttpHeaders may hold an array). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
