// The archive plan, in one place: the one schema of a chunk and of the recording (shared by the event's validation at
// the edge and by the plan read back from storage), the plan built from a validated event, and its blob
// `_plans/{planId}.json` in the archive container — written create-only by the trigger before the orchestration
// starts, read (validated, cached) by the activities, found by recording for a re-drive.
//
// Why a plan blob: an activity that received the chunk's URLs, blob names and the recording's ids through Durable
// would put ~1 KB of repeated long strings into the orchestration history per chunk. With the plan in storage an
// activity gets `{ planId, chunkIndex }` and reads the rest. Create-only makes the plan immutable: redeliveries (and
// a concurrent delivery of the same chunk set) find it there and leave it alone, so every reader sees the same plan.
import type { ContainerClient } from '@azure/storage-blob';
import { z } from 'zod';
import { MAX_CALL_ID_LENGTH, MAX_RECORDING_ID_LENGTH, MAX_SERVER_CALL_ID_LENGTH } from '../shared/acsIds.js';
import { statusCodeOf } from '../shared/errors.js';
import type { Logger } from '../shared/logging.js';
import { untilAborted } from '../shared/abort.js';
import { RECORDING_CHANNELS, RECORDING_CONTENTS, RECORDING_FORMATS } from '../acs/models.js';
import { ArchivePlanError } from './archiveErrors.js';
import { archiveInstanceId, archiveInstanceIdPrefix } from './archiveInstanceId.js';
import { archiveContainerClient, ensureArchiveContainer } from './archiveContainerClient.js';
import { blobLabels } from './blobLabels.js';
import { recordingBlobPrefix } from './blobLayout.js';

// --- The one chunk schema and recording schema --------------------------------------------------------------------

// documentIds become part of blob names and tags: keep them to a conservative, path-safe alphabet
// (documented examples: `0-eus-d12-801b3f3fc462fe8a01e6810cbff729b8`).
const documentId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'must be 1-200 characters of A-Z a-z 0-9 . _ -');

/** Base64-ish identifiers from the subject; printable ASCII only, since they go into blob metadata headers. */
const printableId = (max: number) =>
  z.string().min(1).max(max).regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces');

const httpUrl = z.string().max(2048).refine((v) => {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL');

export const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 date-time');

/** One chunk of a recording as `RecordingFileStatusUpdated` announces it, and as the plan keeps it. */
export const chunkSchema = z.object({
  documentId,
  index: z.number().int().min(0).max(100_000),
  endReason: z.string().max(200),
  contentLocation: httpUrl,
  metadataLocation: httpUrl,
  deleteLocation: httpUrl,
});
/** One chunk (validated at the edge; URLs allow-listed there and by the ACS media client before every request). */
export type ChunkRef = z.infer<typeof chunkSchema>;

/** The recording's identifiers, capped as everywhere the app accepts them (src/shared/acsIds.ts). */
export const recordingIdFields = {
  callId: printableId(MAX_CALL_ID_LENGTH),
  serverCallId: printableId(MAX_SERVER_CALL_ID_LENGTH),
  recordingId: printableId(MAX_RECORDING_ID_LENGTH),
} as const;

const recordingSchema = z.object({
  recordingId: recordingIdFields.recordingId,
  /** From the subject; absent in the older `/recording/call/{callId}/recordingId/{recordingId}` form. */
  serverCallId: recordingIdFields.serverCallId.optional(),
  callId: recordingIdFields.callId,
  recordingStartTime: isoDate.optional(),
  recordingDurationMs: z.number().min(0).optional(),
  content: z.enum(RECORDING_CONTENTS).optional(),
  channel: z.enum(RECORDING_CHANNELS).optional(),
  format: z.enum(RECORDING_FORMATS).optional(),
  sessionEndReason: z.string().max(200).optional(),
});
/** What is known about the recording from the event (subject + data). */
export type RecordingRef = z.infer<typeof recordingSchema>;

const planSchema = z.object({
  schemaVersion: z.literal(1),
  /** `archiveInstanceId(recording.recordingId, chunks' documentIds)`: the plan proves it belongs to its id. */
  planId: z.string().min(1).max(256),
  recording: recordingSchema,
  /** The event's time (Event Grid `eventTime` / CloudEvents `time`): the start of the archive lag metric. */
  eventTime: z.string().optional(),
  /** Blob name prefix for this recording (ends with `/`), fixed once so every reader agrees on it. */
  blobPrefix: z.string().min(1).max(1024).regex(/\/$/, 'must end with /'),
  /** Sorted by index (at the edge); indexes and document ids unique. */
  chunks: z.array(chunkSchema),
});
/**
 * The archive plan: the validated event's recording and chunk list, written by the trigger to
 * `_plans/{planId}.json` BEFORE the orchestration starts, create-only and never changed. Activities read it by
 * `planId` instead of receiving URLs, ids and blob names through Durable.
 */
export type ArchivePlan = z.infer<typeof planSchema>;

// --- Built from the event, checked when read ----------------------------------------------------------------------

/**
 * The plan for a validated event (its chunks already sorted by index at the edge). Its id is a pure function of the
 * recording id and the chunk set (the orchestration instance id rule), so every delivery of the same announcement
 * names the same plan.
 */
export function buildArchivePlan(event: { recording: RecordingRef; chunks: ChunkRef[]; eventTime?: string }, now: Date = new Date()): ArchivePlan {
  return {
    schemaVersion: 1,
    planId: archiveInstanceId(event.recording.recordingId, event.chunks.map((c) => c.documentId)),
    recording: event.recording,
    ...(event.eventTime === undefined ? {} : { eventTime: event.eventTime }),
    blobPrefix: recordingBlobPrefix(event.recording, event.eventTime, now),
    chunks: event.chunks,
  };
}

/**
 * Validates a plan read from storage for `planId`: its shape (the same chunk and recording schema as the event's),
 * and that it is the plan of that id (the id is recomputed from the plan's recording id and document ids), so a
 * misplaced or altered plan is refused. URLs are not trusted from here either: the ACS media client checks every one
 * against ACS_MEDIA_ALLOWED_ORIGINS before it signs a request.
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

// --- In storage -----------------------------------------------------------------------------------------------------

/** Folder of the plans in the archive container; never a date folder, so it cannot mix with recordings. */
export const ARCHIVE_PLAN_FOLDER = '_plans/';

/** Blob name of a plan. Plan ids are instance ids: `A-Z a-z 0-9 - _` only. */
export function archivePlanBlobName(planId: string): string {
  return `${ARCHIVE_PLAN_FOLDER}${planId}.json`;
}

/** The trigger answers Event Grid within 30 s: the plan write gets at most this long. */
export const DEFAULT_PLAN_WRITE_TIMEOUT_MS = 10_000;

export interface WriteArchivePlanOptions {
  logger: Logger;
  timeoutMs?: number;
}

/** Writes the plan unless it already exists (the trigger's only blob write). Resolves `true` if written now. Storage failures are thrown. */
export async function writeArchivePlan(plan: ArchivePlan, { logger, timeoutMs = DEFAULT_PLAN_WRITE_TIMEOUT_MS }: WriteArchivePlanOptions): Promise<boolean> {
  const abortSignal = AbortSignal.timeout(timeoutMs);
  // The container is created once per process; bound that too (the storage client's own tries are far longer).
  await untilAborted(ensureArchiveContainer(), abortSignal, () => new Error(`Writing the archive plan timed out: ${String(abortSignal.reason)}`));
  const name = archivePlanBlobName(plan.planId);
  const blob = archiveContainerClient.get().getBlockBlobClient(name);
  const body = Buffer.from(JSON.stringify(plan), 'utf8');
  try {
    await blob.uploadData(body, {
      abortSignal,
      blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' },
      metadata: blobLabels({ recording: plan.recording, kind: 'plan' }).metadata,
      conditions: { ifNoneMatch: '*' },
    });
  } catch (e) {
    const status = statusCodeOf(e);
    if (status === 409 || status === 412) {
      logger.info('Archive plan already written by an earlier delivery', { blobName: name });
      return false;
    }
    throw e;
  }
  logger.info('Archive plan written', { blobName: name, chunks: plan.chunks.length, sizeBytes: body.length });
  return true;
}

/** Plans kept in memory per process (a 500-chunk plan is ~250 KB). */
export const PLAN_CACHE_SIZE = 16;

// A plan is immutable once written, so it is cached per process: a worker running many chunks of one recording
// downloads it once, not once per chunk.
const cache = new Map<string, Promise<ArchivePlan>>();

/**
 * The plan `planId` from the archive container, validated. A missing or invalid plan is an {@link ArchivePlanError}
 * (permanent); a storage failure is thrown as is (transient) and not cached.
 */
export function readArchivePlan(planId: string, container: ContainerClient = archiveContainerClient.get()): Promise<ArchivePlan> {
  const key = `${container.url}|${planId}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = downloadPlan(container, planId);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
    while (cache.size > PLAN_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  return pending;
}

async function downloadPlan(container: ContainerClient, planId: string): Promise<ArchivePlan> {
  let bytes: Buffer;
  try {
    bytes = await container.getBlobClient(archivePlanBlobName(planId)).downloadToBuffer();
  } catch (e) {
    if (statusCodeOf(e) === 404) throw new ArchivePlanError(planId, `Archive plan ${planId} does not exist`);
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ArchivePlanError(planId, `Archive plan ${planId} is not JSON`);
  }
  return parseArchivePlan(json, planId);
}

/**
 * Ids of the plans stored for a recording, newest first: a plan's id starts with the recording's part of the
 * instance id, so one prefix listing finds them (more than one only if ACS announced different chunk sets).
 */
export async function findArchivePlanIds(recordingId: string, container: ContainerClient = archiveContainerClient.get()): Promise<string[]> {
  const prefix = archivePlanBlobName(archiveInstanceIdPrefix(recordingId)).replace(/\.json$/, '');
  const found: { planId: string; modified: number }[] = [];
  try {
    for await (const b of container.listBlobsFlat({ prefix })) {
      if (!b.name.endsWith('.json')) continue;
      found.push({ planId: b.name.slice(ARCHIVE_PLAN_FOLDER.length, -'.json'.length), modified: b.properties.lastModified?.getTime() ?? 0 });
    }
  } catch (e) {
    if (statusCodeOf(e) !== 404) throw e; // no archive container yet: no plans
  }
  return found.sort((a, b) => b.modified - a.modified || a.planId.localeCompare(b.planId)).map((f) => f.planId);
}
