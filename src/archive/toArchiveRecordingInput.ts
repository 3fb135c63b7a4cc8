// From a validated event to what the orchestration needs: its deterministic instance id and its input, with the
// settings the orchestrator may not read itself (it must not touch env) and the blob prefix fixed once.
import type { AppConfig } from '../config.js';
import type { ArchiveRecordingInput } from './archiveModels.js';
import { archiveInstanceId } from './archiveInstanceId.js';
import { recordingBlobPrefix } from './blobLayout.js';
import type { RecordingFileStatusUpdated } from './parseRecordingFileStatusUpdated.js';

export type ArchiveSettings = Pick<AppConfig, 'archiveChunkConcurrency' | 'deleteSourceAfterArchive'>;

export function toArchiveRecordingInput(
  event: RecordingFileStatusUpdated,
  settings: ArchiveSettings,
  now: Date = new Date(),
): { instanceId: string; input: ArchiveRecordingInput } {
  return {
    instanceId: archiveInstanceId(event.recording.recordingId, event.chunks.map((c) => c.documentId)),
    input: {
      recording: event.recording,
      chunks: event.chunks,
      blobPrefix: recordingBlobPrefix(event.recording, event.eventTime, now),
      sourceEventId: event.eventId,
      options: { chunkConcurrency: settings.archiveChunkConcurrency, deleteSourceAfterArchive: settings.deleteSourceAfterArchive },
    },
  };
}
