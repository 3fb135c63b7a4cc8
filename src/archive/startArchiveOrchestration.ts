// The start of a recording's archive: the orchestration's small input (from the plan, with the settings the
// orchestrator may not read itself and the retry deadline), and its idempotent start (functions-durable reference
// §3.4): with a deterministic instance id, "already there in any state" means this event was handled before —
// success, never a second archive.
//   1. getStatus: found → done (its 404 THROWS in durable-functions 3.x; that means "not there yet").
//   2. beforeStart (the trigger writes the archive plan, create-only) — so the plan always exists before the
//      orchestration that reads it;
//   3. startNew: a concurrent delivery may win the race → "already exists" (HTTP 500 from the extension) → done.
// Anything else (storage down, extension unreachable, timeout) is rethrown so Event Grid redelivers later.
import type { DurableClient } from 'durable-functions';
import type { AppConfig } from '../config.js';
import { isDurableInstanceAlreadyExists } from '../shared/durableClientErrors.js';
import { classifyFailure } from '../shared/failureModel.js';
import type { Logger } from '../shared/logging.js';
import { LOG_MESSAGES } from '../shared/telemetryNames.js';
import type { ArchiveProgress, ArchiveRecordingInput } from './archiveModels.js';
import { ARCHIVE_RECORDING_ORCHESTRATION } from './archiveFunctionNames.js';
import { withTimeout } from '../shared/abort.js';
import { buildArchivePlan, type ArchivePlan } from './archivePlan.js';
import { archiveDeadline } from './archiveRetrySchedule.js';
import type { RecordingFileStatusUpdated } from './parseRecordingFileStatusUpdated.js';

/** Per-call bound on the durable client (it has no timeout of its own); Event Grid waits 30 s in total. */
export const DEFAULT_DURABLE_CLIENT_TIMEOUT_MS = 10_000;

export type StartArchiveResult =
  | { started: true; instanceId: string }
  | { started: false; instanceId: string; existingStatus: string };

export interface StartArchiveOptions {
  logger: Logger;
  timeoutMs?: number;
  /** Runs after getStatus found no instance and before startNew; a failure is thrown (nothing is started). */
  beforeStart?: () => Promise<unknown>;
}

export class DurableClientTimeoutError extends Error {
  override readonly name = 'DurableClientTimeoutError';
}

/** A durable client call `work`, or a {@link DurableClientTimeoutError} after `ms`. */
export function durableCall<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  return withTimeout(work, ms, () => new DurableClientTimeoutError(`${what} did not answer within ${ms} ms`));
}

/** The durable client's getStatus throws on a 404 (no such instance); it says so only in its message, which the failure model reads (`Gone`). */
export const isNotFound = (e: unknown) => classifyFailure(e).code === 'Gone';

/** Starts `archiveRecording` under `instanceId` unless an instance with that id exists in any state. */
export async function startArchiveOrchestration(
  client: DurableClient,
  instanceId: string,
  input: ArchiveRecordingInput,
  { logger, timeoutMs = DEFAULT_DURABLE_CLIENT_TIMEOUT_MS, beforeStart }: StartArchiveOptions,
): Promise<StartArchiveResult> {
  try {
    const status = await durableCall('Durable getStatus', timeoutMs, client.getStatus(instanceId, { showInput: false }));
    logger.info('Archive already started for this recording; nothing to do', { instanceId, runtimeStatus: status.runtimeStatus });
    return { started: false, instanceId, existingStatus: String(status.runtimeStatus) };
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  await beforeStart?.();
  try {
    await durableCall('Durable startNew', timeoutMs, client.startNew(ARCHIVE_RECORDING_ORCHESTRATION, { instanceId, input }));
  } catch (e) {
    if (isDurableInstanceAlreadyExists(e)) {
      logger.info('Archive was started concurrently by another delivery; nothing to do', { instanceId });
      return { started: false, instanceId, existingStatus: 'AlreadyExists' };
    }
    throw e;
  }
  // The archive-lag alert pairs this line with LOG_MESSAGES.archiveFinished by instanceId (infra/app/alerts.bicep).
  logger.info(LOG_MESSAGES.archiveStarted, { instanceId, chunks: input.chunkIndexes.length });
  return { started: true, instanceId };
}

export type ArchiveSettings = Pick<AppConfig, 'archiveChunkConcurrency' | 'deleteSource' | 'archiveRetryHorizonHours'>;

/** The orchestration input for `plan` (the trigger's, or a re-drive's), retrying transient failures until `deadline`. */
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

/**
 * From a validated event: the plan, the instance id (= the plan id) and the input. The deadline counts from the
 * event's time (when ACS announced the files), else from `now`.
 */
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
