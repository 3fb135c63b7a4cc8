// Typed errors of the archive path, and the failure records of a chunk: the failure model
// (src/shared/failureModel.ts) says whether a failure is permanent, which keeps the orchestration from retrying what
// can never succeed (a deleted/expired source, a credential ACS refuses, a URL we will not call).
import { ensureError, statusCodeOf } from '../shared/errors.js';
import { classifyFailure } from '../shared/failureModel.js';
import { InvalidEventError } from '../shared/eventGridEnvelope.js';
import type { ArchiveFailure } from './archiveModels.js';

/** A `RecordingFileStatusUpdated` event that failed validation at the edge. Nothing was started or requested. */
export class InvalidRecordingEventError extends InvalidEventError {
  override readonly name = 'InvalidRecordingEventError';
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

/** Transient failures recorded by their own code when the retries run out: the bytes served were not the file. */
const NAMED_TRANSIENT_CODES: ReadonlySet<string> = new Set(['NotARecording', 'MetadataMismatch']);

/**
 * The stable code of a transient failure that is worth recording by name when the retries run out (the bytes
 * served were not the file: `NotARecording`, `MetadataMismatch`), or undefined.
 */
export function transientFailureCode(e: unknown): string | undefined {
  const f = classifyFailure(e);
  return f.kind === 'transient' && NAMED_TRANSIENT_CODES.has(f.code) ? f.code : undefined;
}

/**
 * A transient failure of one step of the `archiveChunk` activity, thrown so Durable retries the activity. The step
 * (and a stable code, when the failure has one) is marked in the message (`[step=content] [code=NotARecording] …`)
 * because Durable hands the orchestrator only the message text.
 */
export class ArchiveStepError extends Error {
  override readonly name = 'ArchiveStepError';
  constructor(
    readonly step: ArchiveFailure['step'],
    cause: unknown,
  ) {
    const code = transientFailureCode(cause);
    super(`[step=${step}] ${code === undefined ? '' : `[code=${code}] `}${ensureError(cause).message}`, { cause });
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
 * The failure record of a permanent failure of an archive step, or `undefined` when the failure model calls it
 * transient (the caller rethrows it so it is retried). Permanent failures are returned as outcomes, so they are
 * recorded once, without a retry storm. `code` is the failure model's stable code (`Gone`, `Refused`,
 * `VerificationFailed`, …); the service's or the engine's own code (`Md5Mismatch`, ACS's `error.code`) starts the
 * message.
 */
export function toPermanentFailure(e: unknown, step: ArchiveFailure['step']): ArchiveFailure | undefined {
  const classified = classifyFailure(e);
  if (classified.kind !== 'permanent') return undefined;
  const error = ensureError(e);
  const detail = (error as { code?: unknown }).code;
  const message = typeof detail === 'string' && detail !== '' && detail !== classified.code ? `${detail}: ${error.message}` : error.message;
  const failure: ArchiveFailure = {
    step,
    permanent: true,
    code: boundFailureMessage(classified.code, MAX_FAILURE_CODE_LENGTH),
    message: boundFailureMessage(message),
  };
  const statusCode = statusCodeOf(e);
  if (statusCode !== undefined) failure.statusCode = statusCode;
  return failure;
}

const STEP_IN_MESSAGE = /\[step=(content|metadata|delete|manifest)\]/;
const CODE_IN_MESSAGE = /\[code=([A-Za-z]{1,48})\]/;

/**
 * A transient failure after Durable gave up retrying, as recorded in the outcome. `step` is the fallback when the
 * message does not name one (an {@link ArchiveStepError} does).
 */
export function toExhaustedFailure(e: unknown, step: ArchiveFailure['step']): ArchiveFailure {
  // Durable wraps activity errors as "Activity function 'x' failed: <message> \n <stack>"; keep the first line.
  const message = ensureError(e).message.split('\n')[0]?.trim() ?? 'unknown error';
  const named = STEP_IN_MESSAGE.exec(message)?.[1] as ArchiveFailure['step'] | undefined;
  // A failure with its own code (NotARecording, MetadataMismatch) is recorded by that code, not as RetriesExhausted.
  const code = CODE_IN_MESSAGE.exec(message)?.[1] ?? 'RetriesExhausted';
  return { step: named ?? step, permanent: false, code, message: boundFailureMessage(message) };
}

/**
 * A transient failure as the chunk row records it while the orchestration retries: the step, the HTTP status when the
 * error carries one, the failure model's stable code, and a bounded message (the same bounds as the outcome records).
 */
export function transientFailureRecord(step: ArchiveFailure['step'], e: unknown): ArchiveFailure {
  const cause = e instanceof Error && e.cause !== undefined ? e.cause : e;
  const statusCode = statusCodeOf(cause);
  return {
    step,
    permanent: false,
    ...(statusCode === undefined ? {} : { statusCode }),
    code: classifyFailure(cause).code,
    message: boundFailureMessage(ensureError(e).message),
  };
}
