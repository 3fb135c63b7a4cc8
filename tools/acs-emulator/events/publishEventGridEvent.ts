// Delivers one event the way an Event Grid subscription does: one event per POST, in an array, with the aeg-* headers
// and the content type of the subscription's schema (reference acs-recording-api.md §4b). Every Event Grid event the
// emulator publishes goes through here.
import type { EmulatorRuntime } from '../runtime.js';
import { deliverWebhook } from './deliverWebhook.js';

export type EventSchema = 'EventGrid' | 'CloudEvents';

export function publishEventGridEvent(
  rt: EmulatorRuntime,
  url: string,
  event: object,
  o: { eventType: string; schema: EventSchema; subscriptionName: string },
): Promise<{ status: number }> {
  return deliverWebhook(url, {
    eventType: o.eventType,
    body: JSON.stringify([event]),
    headers: {
      'content-type': o.schema === 'CloudEvents' ? 'application/cloudevents+json; charset=utf-8' : 'application/json; charset=utf-8',
      'aeg-event-type': 'Notification',
      'aeg-subscription-name': o.subscriptionName,
      'aeg-delivery-count': '0',
      'aeg-metadata-version': '1',
      'aeg-data-version': '1.0',
    },
    record: (d) => rt.deliveries.push(d),
  });
}
