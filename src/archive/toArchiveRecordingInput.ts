// From a validated event (or a stored plan, for a re-drive) to what the archive needs: the archive plan (written to
// storage by the trigger), the orchestration's deterministic instance id (= the plan id) and its small input, with
// the settings the orchestrator may not read itself (it must not touch env) and the retry deadline.
import type { AppConfig } from '../config.js';
import type { ArchivePlan, ArchiveProgress, ArchiveRecordingInput } from './archiveModels.js';
import { buildArchivePlan } from './archivePlan.js';
import { archiveDeadline } from './archiveRetrySchedule.js';
import type { RecordingFileStatusUpdated } from './parseRecordingFileStatusUpdated.js';

export type ArchiveSettings = Pick<AppConfig, 'archiveChunkConcurrency' | 'deleteSource' | 'archiveRetryHorizonHours'>;

/** The orchestration input for `plan`, retrying transient failures until `deadline`. */
export function archiveInputFromPlan(
  plan: ArchivePlan,
  sourceEventId: string,
  settings: ArchiveSettings,
  deadline: string,
  progress?: ArchiveProgress,
): ArchiveRecordingInput {
  return {
    planId: plan.planId,
    recordingId: plan.recording.recordingId,
    ...(plan.recording.serverCallId === undefined ? {} : { serverCallId: plan.recording.serverCallId }),
    chunkIndexes: plan.chunks.map((c) => c.index),
    sourceEventId,
    deadline,
    ...(progress === undefined ? {} : { progress }),
    options: { chunkConcurrency: settings.archiveChunkConcurrency, deleteSource: settings.deleteSource },
  };
}

/** From the event: the deadline counts from the event's time (when ACS announced the files), else from `now`. */
export function toArchiveRecordingInput(
  event: RecordingFileStatusUpdated,
  settings: ArchiveSettings,
  now: Date = new Date(),
): { instanceId: string; plan: ArchivePlan; input: ArchiveRecordingInput } {
  const plan = buildArchivePlan(event, now);
  const eventTime = event.eventTime === undefined ? Number.NaN : Date.parse(event.eventTime);
  const deadline = archiveDeadline(Number.isNaN(eventTime) ? now : new Date(eventTime), settings.archiveRetryHorizonHours);
  return { instanceId: plan.planId, plan, input: archiveInputFromPlan(plan, event.eventId, settings, deadline) };
}
