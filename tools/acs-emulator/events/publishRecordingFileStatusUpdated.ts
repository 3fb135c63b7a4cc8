// Builds and delivers RecordingFileStatusUpdated the way Event Grid does: one event per POST, in an array,
// with the aeg-* headers (reference §4b).
import type { EmulatorRuntime } from '../runtime.js';
import { publishEventGridEvent, type EventSchema } from './publishEventGridEvent.js';
import {
  RECORDING_FILE_STATUS_UPDATED,
  emulatorTopic,
  recordingFileStatusUpdatedCloudEvent,
  recordingFileStatusUpdatedEventGrid,
} from './recordingFileStatusUpdated.js';

export type { EventSchema } from './publishEventGridEvent.js';

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
  return publishEventGridEvent(rt, url, event, { eventType: RECORDING_FILE_STATUS_UPDATED, schema, subscriptionName: 'RECORDINGFILESTATUSUPDATED' });
}
