// Re-drive of a recording's archive (POST /api/recordings/{id}/archive): runs the archive again from the stored plan,
// or from a RecordingFileStatusUpdated event the app never saw (a dead-lettered one), with a fresh deadline of
// now + ARCHIVE_RETRY_HORIZON_HOURS.
//
// - Same instance id as the trigger's (the plan id): a re-drive and an Event Grid (re)delivery of the same event
//   converge on one instance. The trigger never starts an id that exists in any state; a re-drive starts it only when
//   it is not running (Durable then replaces the completed execution) — a running one is a 409, and of two
//   concurrent re-drives the extension lets one start and answers the other "already exists" (also a 409).
// - Chunks the manifest records as archived (and deleted, when deletion is on) are handed to the orchestration as
//   already settled, so they are neither downloaded nor deleted again; failed or missing chunks are tried again.
//   When every chunk is settled that way nothing is started (`alreadyArchived`), so a re-drive changes nothing.
import type { DurableClient } from 'durable-functions';
import type { Logger } from '../shared/logging.js';
import type { ChunkOutcomeRecord } from './archiveModels.js';
import { archiveContainerClient } from './archiveContainerClient.js';
import { ARCHIVE_RECORDING_ORCHESTRATION } from './archiveFunctionNames.js';
import { buildArchivePlan, findArchivePlanIds, readArchivePlan, writeArchivePlan, type ArchivePlan } from './archivePlan.js';
import { archiveDeadline } from './archiveRetrySchedule.js';
import { manifestBlobName } from './blobLayout.js';
import type { RecordingFileStatusUpdated } from './parseRecordingFileStatusUpdated.js';
import { readRecordingManifest } from './readRecordingManifest.js';
import { isDurableInstanceAlreadyExists } from '../shared/durableClientErrors.js';
import { archiveInputFromPlan, DEFAULT_DURABLE_CLIENT_TIMEOUT_MS, durableCall, isNotFound, type ArchiveSettings } from './startArchiveOrchestration.js';
import { stateStore } from '../calls/callServices.js';
import { recordArchiveStart } from './state/recordArchiveStart.js';

export type RedriveResult =
  | { kind: 'started'; instanceId: string; deadline: string; chunksToArchive: number }
  | { kind: 'alreadyArchived'; instanceId: string }
  | { kind: 'running'; instanceId: string; runtimeStatus: string }
  | { kind: 'notFound' };

/** Runtime states in which an instance still works (Durable refuses a new start of these ids). */
const ACTIVE_STATES = new Set(['Pending', 'Running', 'ContinuedAsNew', 'Suspended']);

export interface RedriveOptions {
  logger: Logger;
  settings: ArchiveSettings;
  now?: Date;
  timeoutMs?: number;
}

/** Re-drives the archive of `recordingId`, from `event` (already validated at the edge) if given, else its stored plan. */
export async function redriveArchive(
  client: DurableClient,
  recordingId: string,
  event: RecordingFileStatusUpdated | undefined,
  { logger, settings, now = new Date(), timeoutMs = DEFAULT_DURABLE_CLIENT_TIMEOUT_MS }: RedriveOptions,
): Promise<RedriveResult> {
  let plan: ArchivePlan;
  let sourceEventId: string;
  if (event) {
    plan = buildArchivePlan(event, now);
    sourceEventId = event.eventId;
  } else {
    const [planId] = await findArchivePlanIds(recordingId);
    if (planId === undefined) return { kind: 'notFound' };
    plan = await readArchivePlan(planId);
    sourceEventId = `redrive:${now.toISOString()}`;
  }
  const instanceId = plan.planId;
  const log = logger.with({ instanceId });

  const runtimeStatus = await currentStatus(client, instanceId, timeoutMs);
  if (runtimeStatus !== undefined && ACTIVE_STATES.has(runtimeStatus)) return { kind: 'running', instanceId, runtimeStatus };
  if (event) await writeArchivePlan(plan, { logger: log }); // create-only: a plan already there is kept as it is

  const settled = await settledChunks(plan, settings.deleteSource);
  if (plan.chunks.length > 0 && settled.length === plan.chunks.length) {
    log.info('Re-drive: every chunk is already archived; nothing to do', { chunks: plan.chunks.length });
    return { kind: 'alreadyArchived', instanceId };
  }
  const deadline = archiveDeadline(now, settings.archiveRetryHorizonHours);
  const input = archiveInputFromPlan(plan, sourceEventId, settings, deadline, settled.length > 0 ? { round: 1, settled, waiting: [] } : undefined);
  // The state table shows the re-driven archive (and the recording, if the app never saw it) as `archiving`.
  await recordArchiveStart(stateStore.get(), { plan, instanceId, ...(event ? { eventTime: event.eventTime } : {}), deadline, now });
  try {
    await durableCall('Durable startNew', timeoutMs, client.startNew(ARCHIVE_RECORDING_ORCHESTRATION, { instanceId, input }));
  } catch (e) {
    if (isDurableInstanceAlreadyExists(e)) return { kind: 'running', instanceId, runtimeStatus: 'AlreadyExists' };
    throw e;
  }
  const chunksToArchive = plan.chunks.length - settled.length;
  log.info('Re-drive: archive started', { chunks: plan.chunks.length, chunksToArchive, deadline, previous: runtimeStatus ?? 'none' });
  return { kind: 'started', instanceId, deadline, chunksToArchive };
}

async function currentStatus(client: DurableClient, instanceId: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const status = await durableCall('Durable getStatus', timeoutMs, client.getStatus(instanceId, { showInput: false }));
    return String(status.runtimeStatus);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** The plan's chunks the manifest records as archived (and deleted, if deletion is on), as settled outcomes. */
async function settledChunks(plan: ArchivePlan, deleteSource: boolean): Promise<ChunkOutcomeRecord[]> {
  const { manifest } = await readRecordingManifest(archiveContainerClient.get().getBlockBlobClient(manifestBlobName(plan.blobPrefix)));
  if (!manifest || manifest.recordingId !== plan.recording.recordingId) return [];
  const byDocument = new Map(manifest.chunks.map((c) => [c.documentId, c]));
  const out: ChunkOutcomeRecord[] = [];
  for (const chunk of plan.chunks) {
    const m = byDocument.get(chunk.documentId);
    if (m?.status !== 'archived' || (deleteSource && !m.sourceDeleted)) continue;
    out.push({
      index: chunk.index,
      archived: true,
      ...(m.archivedAt === undefined ? {} : { archivedAt: m.archivedAt }),
      ...(m.sourceDeletedAt === undefined ? {} : { deletedAt: m.sourceDeletedAt }),
    });
  }
  return out;
}
