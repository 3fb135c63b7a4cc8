// Posts one Call Automation callback the way the service does: the event in a JSON array, with a fresh JWT.
import type { EmulatorRuntime } from '../runtime.js';
import { deliverWebhook } from './deliverWebhook.js';

/** Mints a JWT and POSTs `[event]` to `url`, recording the delivery; `retries` as in deliverWebhook. */
export async function postCallAutomationCallback(rt: EmulatorRuntime, url: string, event: { type: string }, retries = 0): Promise<{ status: number }> {
  const token = await rt.jwt.mint();
  return deliverWebhook(url, {
    eventType: event.type,
    body: JSON.stringify([event]),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    retries,
    record: (d) => rt.deliveries.push(d),
  });
}
