// Typed errors of the archive path, and the one decision "is this failure permanent?" that keeps Durable from
// retrying what can never succeed (a deleted/expired source, a credential ACS refuses, a URL we will not call).
import { isPermanentAcsError } from '../acs/classifyAcsFailure.js';
import { isAcsRequestError } from '../acs/errors.js';
import { ensureError } from '../shared/errors.js';
import type { ArchiveFailure } from './archiveModels.js';
import { isTransferConflictError, isTransferVerificationError } from './transfer/errors.js';

/** A `RecordingFileStatusUpdated` event that failed validation at the edge. Nothing was started or requested. */
export class InvalidRecordingEventError extends Error {
  override readonly name = 'InvalidRecordingEventError';
  constructor(
    message: string,
    /** The Event Grid event id, if the envelope had one. */
    readonly eventId: string | undefined,
    /** One line per problem found (field path: reason). */
    readonly issues: string[],
  ) {
    super(message);
  }
}

/** An archived blob does not match what the archive step reported: the source must not be deleted. */
export class ArchiveNotVerifiedError extends Error {
  override readonly name = 'ArchiveNotVerifiedError';
}

/** The archive plan is missing, malformed or not the plan of its id: no retry can fix that. */
export class ArchivePlanError extends Error {
  override readonly name = 'ArchivePlanError';
  constructor(
    readonly planId: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A transient failure of one step of the `archiveChunk` activity, thrown so Durable retries the activity. The step
 * is marked in the message (`[step=delete] …`) because Durable hands the orchestrator only the message text.
 */
export class ArchiveStepError extends Error {
  override readonly name = 'ArchiveStepError';
  constructor(
    readonly step: ArchiveFailure['step'],
    cause: unknown,
  ) {
    super(`[step=${step}] ${ensureError(cause).message}`, { cause });
  }
}

/**
 * Failure records travel through the orchestration history (activity result, manifest input), so their free-text
 * parts are bounded: a chunk that failed on both files stays within the history budget however verbose the
 * service's error body was.
 */
export const MAX_FAILURE_MESSAGE_LENGTH = 160;
export const MAX_FAILURE_CODE_LENGTH = 48;

/** `message`, cut to {@link MAX_FAILURE_MESSAGE_LENGTH}. */
export function boundFailureMessage(message: string, max = MAX_FAILURE_MESSAGE_LENGTH): string {
  return message.length > max ? `${message.slice(0, max - 1)}…` : message;
}

/**
 * Classifies a failure of an archive step. Permanent failures are returned as outcomes (so Durable records them
 * once, without a retry storm); anything else is transient and is rethrown so `callActivityWithRetry` backs off.
 */
export function toPermanentFailure(e: unknown, step: ArchiveFailure['step']): ArchiveFailure | undefined {
  const failure = classify(e, step);
  if (failure) {
    failure.message = boundFailureMessage(failure.message);
    failure.code = boundFailureMessage(failure.code, MAX_FAILURE_CODE_LENGTH);
  }
  return failure;
}

function classify(e: unknown, step: ArchiveFailure['step']): ArchiveFailure | undefined {
  if (e instanceof Error && e.name === 'DisallowedUrlError') {
    return { step, permanent: true, code: 'DisallowedUrl', message: e.message };
  }
  if (e instanceof ArchivePlanError) {
    return { step, permanent: true, code: 'ArchivePlanInvalid', message: e.message };
  }
  if (isAcsRequestError(e) && isPermanentAcsError(e)) {
    // gone (404/410), unauthorized (401/403) or invalid (other 4xx, unexpected responses): see classifyAcsFailure.
    const failure: ArchiveFailure = { step, permanent: true, code: e.code, message: e.message };
    if (e.statusCode !== undefined) failure.statusCode = e.statusCode;
    return failure;
  }
  if (isTransferVerificationError(e) || isTransferConflictError(e)) {
    // The transfer engine's own verdict: the copy cannot be verified / would overwrite a different archive.
    return { step, permanent: true, code: `${ensureError(e).name}${'code' in e ? `:${String(e.code)}` : ''}`, message: ensureError(e).message };
  }
  if (e instanceof ArchiveNotVerifiedError) {
    return { step, permanent: true, code: 'ArchiveNotVerified', message: e.message };
  }
  return undefined;
}

const STEP_IN_MESSAGE = /\[step=(content|metadata|delete|manifest)\]/;

/**
 * A transient failure after Durable gave up retrying, as recorded in the outcome. `step` is the fallback when the
 * message does not name one (an {@link ArchiveStepError} does).
 */
export function toExhaustedFailure(e: unknown, step: ArchiveFailure['step']): ArchiveFailure {
  // Durable wraps activity errors as "Activity function 'x' failed: <message> \n <stack>"; keep the first line.
  const message = ensureError(e).message.split('\n')[0]?.trim() ?? 'unknown error';
  const named = STEP_IN_MESSAGE.exec(message)?.[1] as ArchiveFailure['step'] | undefined;
  return { step: named ?? step, permanent: false, code: 'RetriesExhausted', message: boundFailureMessage(message) };
}
