// Starts at most one recording per call across all instances. The call row is the claim: inserted if absent (a
// concurrent second delivery gets 409 and backs off), or taken over with an ETag-matched replace when the previous
// start failed or was abandoned. A failed ACS start marks the claim `failed`, so a later delivery or API call may
// retry; a stale claim is retried with the same Repeatability-Request-ID, so ACS returns the original recording
// instead of starting another.
import { randomUUID } from 'node:crypto';
import type { AcsRecordingClient, RecordingStateResult, StartRecordingRequest } from '../acs/models.js';
import { isAcsRequestError } from '../acs/errors.js';
import { ensureError } from '../shared/errors.js';
import type { Logger } from '../shared/logging.js';
import { recordRecordingStarted, recordRecordingStartFailed, toStartSource } from '../shared/telemetry.js';
import { recordingRow, type CallStateStore } from './CallStateStore.js';
import type { CallRecord, RecordingRecord, StartedVia } from './callStateModels.js';
import { decideStartClaim, type ClaimDecision, type StartMode } from './decideStartClaim.js';
import { ConcurrentUpdateError, mutateRow } from './mutateRow.js';
import { withoutUndefined } from '../shared/withoutUndefined.js';

/** A `starting` claim older than this is presumed abandoned (longer than any start with all its retries). */
export const DEFAULT_CLAIM_STALE_AFTER_MS = 10 * 60 * 1000;
/** Rounds of "claim lost to another writer, re-read" before giving up. */
const MAX_CLAIM_ROUNDS = 8;

export interface StartForCallDeps {
  recordingClient: AcsRecordingClient;
  store: CallStateStore;
  now: () => Date;
  claimStaleAfterMs: number;
  log: Logger;
}

export interface StartForCallMeta {
  startedVia: StartedVia;
  correlationId?: string;
  callConnectionId?: string;
}

export type StartForCallResult =
  | { outcome: 'started'; result: RecordingStateResult; record: RecordingRecord }
  | { outcome: 'skipped'; reason: Extract<ClaimDecision, { action: 'skip' }>['reason']; call: CallRecord };

/** Claims the call, starts the recording at ACS, and records both rows. ACS errors are rethrown after the claim is released. */
export async function startRecordingForCall(
  deps: StartForCallDeps,
  request: StartRecordingRequest & { target: { serverCallId: string } },
  meta: StartForCallMeta,
  mode: StartMode,
): Promise<StartForCallResult> {
  const { serverCallId } = request.target;
  const claim = await claimCall(deps, serverCallId, meta, mode);
  if ('skipped' in claim) return { outcome: 'skipped', reason: claim.skipped, call: claim.call };

  const { store, log } = deps;
  const { record: claimed, etag } = claim;
  const fields = { correlationId: meta.correlationId, serverCallId };
  if (!request.recordingStateCallbackUri) {
    log.warn('PUBLIC_BASE_URL is not set: ACS gets no recordingStateCallbackUri and will send no recording state events', fields);
  }
  let result: RecordingStateResult;
  try {
    result = await deps.recordingClient.startRecording(request, {
      ...fields,
      logger: log,
      repeatabilityRequestId: claimed.repeatabilityRequestId,
      repeatabilityFirstSent: claimed.repeatabilityFirstSent ? new Date(claimed.repeatabilityFirstSent) : undefined,
    });
  } catch (e) {
    const err = ensureError(e);
    const failed: CallRecord = {
      ...claimed,
      status: 'failed',
      failureCode: isAcsRequestError(err) ? err.code : err.name,
      failureMessage: err.message.slice(0, 1000),
      updatedAt: deps.now().toISOString(),
    };
    // Best effort: if this write fails too, the claim goes stale and is taken over later.
    const released = await store.replaceCall(failed, etag).catch((writeError: unknown) => {
      log.error('Could not mark the failed start in the state table', { ...fields, error: ensureError(writeError).message });
      return undefined;
    });
    recordRecordingStartFailed(toStartSource(meta.startedVia), failed.failureCode ?? err.name);
    log.warn('Starting the recording failed; the call may be retried', { ...fields, error: err.message, released: released !== undefined });
    throw err;
  }

  const now = deps.now().toISOString();
  const started = startedRecord(result, request, { ...meta, serverCallId }, now);
  const record = (await mutateRow(recordingRow(store, result.recordingId), (current) => mergeStart(current, started))) ?? started;
  const committed = await store.replaceCall({ ...claimed, status: 'started', recordingId: result.recordingId, updatedAt: now }, etag);
  if (committed === undefined) {
    // Another writer changed the row meanwhile (a StartRecordingFailed, a disconnect, or a takeover that reuses our
    // Repeatability-Request-ID). Their view wins; the recording row above is still accurate.
    log.warn('The call row changed while the recording started; left it as the other writer set it', { ...fields, recordingId: result.recordingId });
  }
  recordRecordingStarted(toStartSource(meta.startedVia));
  log.info('Recording started', { ...fields, recordingId: result.recordingId, recordingState: result.recordingState, startedVia: meta.startedVia });
  return { outcome: 'started', result, record };
}

/** The recording row an accepted start writes (merged by {@link mergeStart} into one that events created first). */
export function startedRecord(
  result: RecordingStateResult,
  request: StartRecordingRequest,
  meta: StartForCallMeta & { serverCallId?: string },
  now: string,
): RecordingRecord {
  return {
    recordingId: result.recordingId,
    serverCallId: meta.serverCallId,
    callConnectionId: meta.callConnectionId,
    correlationId: meta.correlationId,
    startedVia: meta.startedVia,
    startedAt: now,
    content: request.content,
    channel: request.channel,
    format: request.format,
    pauseOnStart: request.pauseOnStart,
    // The start response's state carries no stateChangedAt: any RecordingStateChanged, even one that raced ahead
    // of this write, takes precedence over it.
    state: result.recordingState,
    recordingKind: result.recordingKind,
    updatedAt: now,
  };
}

/** Events may have created the recording row first: keep their state, add what only the start knows. */
export function mergeStart(current: RecordingRecord | undefined, started: RecordingRecord): RecordingRecord {
  if (!current) return started;
  return {
    ...started,
    ...withoutUndefined(current),
    startedVia: started.startedVia,
    startedAt: current.startedAt ?? started.startedAt,
    content: started.content,
    channel: started.channel,
    format: started.format,
    pauseOnStart: started.pauseOnStart,
    state: current.stateChangedAt ? current.state : started.state,
    updatedAt: started.updatedAt,
  };
}

type Claim = { record: CallRecord; etag: string } | { skipped: Extract<ClaimDecision, { action: 'skip' }>['reason']; call: CallRecord };

async function claimCall(deps: StartForCallDeps, serverCallId: string, meta: StartForCallMeta, mode: StartMode): Promise<Claim> {
  const { store } = deps;
  for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
    const now = deps.now();
    const fresh: CallRecord = {
      serverCallId,
      status: 'starting',
      callConnectionId: meta.callConnectionId,
      correlationId: meta.correlationId,
      startedVia: meta.startedVia,
      claimedAt: now.toISOString(),
      repeatabilityRequestId: randomUUID(),
      repeatabilityFirstSent: now.toISOString(),
      attempts: 1,
      updatedAt: now.toISOString(),
    };
    const inserted = await store.insertCall(fresh);
    if (inserted !== undefined) return { record: fresh, etag: inserted };

    const existing = await store.getCall(serverCallId);
    if (!existing) continue;
    const current = existing.value;
    const recordingEnded = mode === 'api' && current.status === 'started' && current.recordingId ? await hasEnded(store, current.recordingId) : false;
    const decision = decideStartClaim(current, { now, staleAfterMs: deps.claimStaleAfterMs, mode, recordingEnded });
    if (decision.action === 'skip') return { skipped: decision.reason, call: current };

    const taken: CallRecord = {
      ...fresh,
      callConnectionId: meta.callConnectionId ?? current.callConnectionId,
      correlationId: meta.correlationId ?? current.correlationId,
      disconnectedAt: current.disconnectedAt,
      attempts: current.attempts + 1,
      ...(decision.reuseRepeatability && current.repeatabilityRequestId
        ? { repeatabilityRequestId: current.repeatabilityRequestId, repeatabilityFirstSent: current.repeatabilityFirstSent }
        : {}),
    };
    const etag = await store.replaceCall(taken, existing.etag);
    if (etag !== undefined) {
      deps.log.info('Took over the call claim', { serverCallId, correlationId: taken.correlationId, previousStatus: current.status, attempts: taken.attempts });
      return { record: taken, etag };
    }
  }
  throw new ConcurrentUpdateError(`Could not claim call ${serverCallId}: the call row kept changing`);
}

async function hasEnded(store: CallStateStore, recordingId: string): Promise<boolean> {
  const recording = await store.getRecording(recordingId);
  return recording !== undefined && (recording.value.stoppedAt !== undefined || recording.value.state === 'failed');
}
