// POSTs an event body to a webhook the way the real services do, with a timeout and bounded retries.
// The emulator only ever talks to loopback: a non-loopback URL is refused, never contacted.
import { setTimeout as sleep } from 'node:timers/promises';
import { redactUrl } from '../../../src/shared/logging.js';
import { DEFAULT_DELIVERY_TIMEOUT_MS } from '../defaults.js';
import type { DeliveryLogEntry } from '../types.js';

/** Thrown (before any traffic) for a webhook URL that is not http(s) on 127.0.0.1 / localhost / ::1. */
export class NonLoopbackUrlError extends Error {
  override readonly name = 'NonLoopbackUrlError';
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK_HOSTS.has(u.hostname);
  } catch {
    return false;
  }
}

export interface DeliveryOptions {
  eventType: string;
  body: string;
  headers: Record<string, string>;
  /** Retries after the first attempt on network errors, 5xx and 429. Default 0. */
  retries?: number;
  /** Receives one entry per delivery (the final attempt's outcome). */
  record?: (entry: DeliveryLogEntry) => void;
}

function retryDelayMs(attempt: number, retryAfter: string | null): number {
  const seconds = retryAfter === null ? NaN : Number(retryAfter);
  const base = Number.isFinite(seconds) ? seconds * 1000 : 100 * 2 ** attempt;
  return Math.min(base, 2_000);
}

/** POSTs `body`; resolves with the final status, rejects when every attempt failed at the network level. */
export async function deliverWebhook(url: string, o: DeliveryOptions): Promise<{ status: number }> {
  const entry: DeliveryLogEntry = { url: redactUrl(url), eventType: o.eventType, time: new Date() };
  if (!isLoopbackUrl(url)) {
    entry.error = 'refused: the emulator only delivers to loopback URLs';
    o.record?.(entry);
    throw new NonLoopbackUrlError(`refusing to deliver ${o.eventType} to non-loopback URL ${redactUrl(url)}`);
  }
  const retries = o.retries ?? 0;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: o.headers,
        body: o.body,
        signal: AbortSignal.timeout(DEFAULT_DELIVERY_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      const transient = res.status >= 500 || res.status === 429;
      if (!transient || attempt >= retries) {
        entry.status = res.status;
        o.record?.(entry);
        return { status: res.status };
      }
      await sleep(retryDelayMs(attempt, res.headers.get('retry-after')));
    } catch (e) {
      if (attempt >= retries) {
        entry.error = e instanceof Error ? e.message : String(e);
        o.record?.(entry);
        throw e;
      }
      await sleep(retryDelayMs(attempt, null));
    }
  }
}
