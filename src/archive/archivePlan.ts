// The archive plan (see ArchivePlan in archiveModels.ts): where it lives, how it is built from a validated event,
// and how a plan read back from storage is validated before anything acts on it.
//
// Why a plan blob: an activity that received the chunk's URLs, blob names and the recording's ids through Durable
// would put ~1 KB of repeated long strings into the orchestration history per chunk. With the plan in storage an
// activity gets `{ planId, chunkIndex }` and reads the rest; the plan is immutable, so every reader sees the same.
import { z } from 'zod';
import { RECORDING_CHANNELS, RECORDING_CONTENTS, RECORDING_FORMATS } from '../acs/models.js';
import type { ArchivePlan, ChunkRef } from './archiveModels.js';
import { ArchivePlanError } from './archiveErrors.js';
import { archiveInstanceId } from './archiveInstanceId.js';
import { recordingBlobPrefix } from './blobLayout.js';
import type { RecordingFileStatusUpdated } from './parseRecordingFileStatusUpdated.js';

/** Folder of the plans in the archive container; never a date folder, so it cannot mix with recordings. */
export const ARCHIVE_PLAN_FOLDER = '_plans/';

/** Blob name of a plan. Plan ids are instance ids: `A-Z a-z 0-9 - _` only. */
export function archivePlanBlobName(planId: string): string {
  return `${ARCHIVE_PLAN_FOLDER}${planId}.json`;
}

/**
 * The plan for a validated event. Its id is a pure function of the recording id and the chunk set (the orchestration
 * instance id rule), so every delivery of the same announcement names the same plan.
 */
export function buildArchivePlan(event: Pick<RecordingFileStatusUpdated, 'recording' | 'chunks' | 'eventTime'>, now: Date = new Date()): ArchivePlan {
  return {
    schemaVersion: 1,
    planId: archiveInstanceId(event.recording.recordingId, event.chunks.map((c) => c.documentId)),
    recording: event.recording,
    ...(event.eventTime === undefined ? {} : { eventTime: event.eventTime }),
    blobPrefix: recordingBlobPrefix(event.recording, event.eventTime, now),
    chunks: [...event.chunks].sort((a, b) => a.index - b.index),
  };
}

const text = (max: number) => z.string().min(1).max(max);

const planSchema = z.object({
  schemaVersion: z.literal(1),
  planId: text(256),
  recording: z.object({
    recordingId: text(4096),
    serverCallId: text(4096).optional(),
    callId: text(4096),
    recordingStartTime: z.string().optional(),
    recordingDurationMs: z.number().optional(),
    content: z.enum(RECORDING_CONTENTS).optional(),
    channel: z.enum(RECORDING_CHANNELS).optional(),
    format: z.enum(RECORDING_FORMATS).optional(),
    sessionEndReason: z.string().optional(),
  }),
  eventTime: z.string().optional(),
  blobPrefix: text(1024).regex(/\/$/, 'must end with /'),
  chunks: z.array(
    z.object({
      documentId: text(200),
      index: z.number().int().min(0),
      endReason: z.string(),
      contentLocation: text(2048),
      metadataLocation: text(2048),
      deleteLocation: text(2048),
    }),
  ),
});

/**
 * Validates a plan read from storage for `planId`: its shape, and that it is the plan of that id (the id is
 * recomputed from the plan's recording id and document ids), so a misplaced or altered plan is refused.
 * URLs are not trusted from here either: every request re-checks them against ACS_MEDIA_ALLOWED_ORIGINS.
 */
export function parseArchivePlan(json: unknown, planId: string): ArchivePlan {
  const parsed = planSchema.safeParse(json);
  if (!parsed.success) {
    throw new ArchivePlanError(planId, `Archive plan ${planId} is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const plan: ArchivePlan = parsed.data;
  const expected = archiveInstanceId(plan.recording.recordingId, plan.chunks.map((c) => c.documentId));
  if (plan.planId !== planId || expected !== planId) {
    throw new ArchivePlanError(planId, `Archive plan ${planId} does not match its id (it describes ${expected})`);
  }
  return plan;
}

/** The plan's chunk with this index, or an {@link ArchivePlanError}. */
export function planChunk(plan: ArchivePlan, chunkIndex: number): ChunkRef {
  const chunk = plan.chunks.find((c) => c.index === chunkIndex);
  if (!chunk) throw new ArchivePlanError(plan.planId, `Archive plan ${plan.planId} has no chunk ${chunkIndex}`);
  return chunk;
}
