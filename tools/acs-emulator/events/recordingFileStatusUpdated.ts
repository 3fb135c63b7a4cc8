// Event Grid `Microsoft.Communication.RecordingFileStatusUpdated` in the Event Grid schema and the CloudEvents
// schema (reference §4b). Enums are PascalCase in this event, unlike the REST API.
import { randomUUID } from 'node:crypto';
import type { EmulatorRecording } from '../types.js';

export const RECORDING_FILE_STATUS_UPDATED = 'Microsoft.Communication.RecordingFileStatusUpdated';

const PASCAL: Record<string, string> = {
  audio: 'Audio',
  audioVideo: 'AudioVideo',
  mixed: 'Mixed',
  unmixed: 'Unmixed',
  wav: 'Wav',
  mp3: 'Mp3',
  mp4: 'Mp4',
};

/** The Event Grid topic of the emulated resource (resource names in Event Grid topics are lower-cased). */
export function emulatorTopic(resourceName = 'acs-emulator'): string {
  return `/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/acs-emulator-rg/providers/microsoft.communication/communicationservices/${resourceName}`;
}

export interface FileStatusContext {
  /** The call id (`callId` of the metadata; the call's correlation id). */
  callId: string;
  serverCallId: string;
  topic: string;
}

function eventData(recording: EmulatorRecording): Record<string, unknown> {
  const durationMs = recording.chunks.reduce((sum, c) => sum + ((c.metadata as { chunkDuration?: number }).chunkDuration ?? 0), 0);
  return {
    recordingStorageInfo: {
      recordingChunks: recording.chunks.map((c) => ({
        documentId: c.documentId,
        index: c.index,
        endReason: c.endReason,
        contentLocation: c.contentLocation,
        metadataLocation: c.metadataLocation,
        deleteLocation: c.deleteLocation,
      })),
    },
    recordingStartTime: recording.startTime.toISOString(),
    recordingDurationMs: durationMs,
    sessionEndReason: 'CallEnded',
    recordingContentType: PASCAL[recording.content],
    recordingChannelType: PASCAL[recording.channel],
    recordingFormatType: PASCAL[recording.format],
  };
}

function subjectOf(recording: EmulatorRecording, ctx: FileStatusContext): string {
  return `/recording/call/${ctx.callId}/serverCallId/${ctx.serverCallId}/recordingId/${recording.recordingId}`;
}

/** One event (not an array) in the Event Grid schema. */
export function recordingFileStatusUpdatedEventGrid(recording: EmulatorRecording, ctx: FileStatusContext): object {
  return {
    id: randomUUID(),
    topic: ctx.topic,
    subject: subjectOf(recording, ctx),
    data: eventData(recording),
    eventType: RECORDING_FILE_STATUS_UPDATED,
    dataVersion: '1.0',
    metadataVersion: '1',
    eventTime: new Date().toISOString(),
  };
}

/** One event (not an array) in the CloudEvents 1.0 schema (Event Grid with CloudEvents output). */
export function recordingFileStatusUpdatedCloudEvent(recording: EmulatorRecording, ctx: FileStatusContext): object {
  return {
    id: randomUUID(),
    source: ctx.topic,
    subject: subjectOf(recording, ctx),
    type: RECORDING_FILE_STATUS_UPDATED,
    time: new Date().toISOString(),
    specversion: '1.0',
    datacontenttype: 'application/json',
    data: eventData(recording),
  };
}
