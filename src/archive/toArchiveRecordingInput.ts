// From a validated event to what the archive needs: the archive plan (written to storage by the trigger), the
// orchestration's deterministic instance id (= the plan id) and its small input, with the settings the orchestrator
// may not read itself (it must not touch env).
import type { AppConfig } from '../config.js';
import type { ArchivePlan, ArchiveRecordingInput } from './archiveModels.js';
import { buildArchivePlan } from './archivePlan.js';
import type { RecordingFileStatusUpdated } from './parseRecordingFileStatusUpdated.js';

export type ArchiveSettings = Pick<AppConfig, 'archiveChunkConcurrency' | 'deleteSourceAfterArchive'>;

export function toArchiveRecordingInput(
  event: RecordingFileStatusUpdated,
  settings: ArchiveSettings,
  now: Date = new Date(),
): { instanceId: string; plan: ArchivePlan; input: ArchiveRecordingInput } {
  const plan = buildArchivePlan(event, now);
  return {
    instanceId: plan.planId,
    plan,
    input: {
      planId: plan.planId,
      recordingId: plan.recording.recordingId,
      ...(plan.recording.serverCallId === undefined ? {} : { serverCallId: plan.recording.serverCallId }),
      chunkIndexes: plan.chunks.map((c) => c.index),
      sourceEventId: event.eventId,
      options: { chunkConcurrency: settings.archiveChunkConcurrency, deleteSourceAfterArchive: settings.deleteSourceAfterArchive },
    },
  };
}
