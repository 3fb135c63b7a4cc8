// Builds and delivers RecordingFileStatusUpdated the way Event Grid does: one event per POST, in an array,
// with the aeg-* headers (reference §4b).
import type { EmulatorRuntime } from '../runtime.js';
import { deliverWebhook } from './deliverWebhook.js';
import {
  RECORDING_FILE_STATUS_UPDATED,
  emulatorTopic,
  recordingFileStatusUpdatedCloudEvent,
  recordingFileStatusUpdatedEventGrid,
} from './recordingFileStatusUpdated.js';

export type EventSchema = 'EventGrid' | 'CloudEvents';

/** One event object for a stopped recording (throws for unknown or still running recordings). */
export function buildRecordingFileStatusUpdated(rt: EmulatorRuntime, recordingId: string, schema: EventSchema = 'EventGrid'): object {
  const entry = rt.store.entry(recordingId);
  if (!entry) throw new Error(`unknown recording ${recordingId}`);
  if (entry.recording.state !== 'stopped') throw new Error(`recording ${recordingId} is ${entry.recording.state}; files exist only after stop`);
  const ctx = { callId: entry.call.correlationId, serverCallId: entry.call.serverCallId, topic: emulatorTopic() };
  return schema === 'CloudEvents' ? recordingFileStatusUpdatedCloudEvent(entry.recording, ctx) : recordingFileStatusUpdatedEventGrid(entry.recording, ctx);
}

export async function publishRecordingFileStatusUpdated(
  rt: EmulatorRuntime,
  recordingId: string,
  url: string,
  schema: EventSchema = 'EventGrid',
): Promise<{ status: number }> {
  const event = buildRecordingFileStatusUpdated(rt, recordingId, schema);
  return deliverWebhook(url, {
    eventType: RECORDING_FILE_STATUS_UPDATED,
    body: JSON.stringify([event]),
    headers: {
      'content-type': schema === 'CloudEvents' ? 'application/cloudevents+json; charset=utf-8' : 'application/json; charset=utf-8',
      'aeg-event-type': 'Notification',
      'aeg-subscription-name': 'RECORDINGFILESTATUSUPDATED',
      'aeg-delivery-count': '0',
      'aeg-metadata-version': '1',
      'aeg-data-version': '1.0',
    },
    record: (d) => rt.deliveries.push(d),
  });
}
