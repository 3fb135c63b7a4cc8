// A transient failure as the chunk row records it while Durable retries: the step, the status and code when the error
// carries them, and a bounded message (the same bounds as the outcome records).
import { isAcsRequestError } from '../../acs/errors.js';
import { ensureError, statusCodeOf } from '../../shared/errors.js';
import type { ArchiveFailure } from '../archiveModels.js';
import { boundFailureMessage, MAX_FAILURE_CODE_LENGTH } from '../archiveErrors.js';

export function transientFailureRecord(step: ArchiveFailure['step'], e: unknown): ArchiveFailure {
  const cause = e instanceof Error && e.cause !== undefined ? e.cause : e;
  const err = ensureError(cause);
  const statusCode = statusCodeOf(cause);
  const code = isAcsRequestError(cause) ? cause.code : err.name;
  return {
    step,
    permanent: false,
    ...(statusCode === undefined ? {} : { statusCode }),
    code: boundFailureMessage(code, MAX_FAILURE_CODE_LENGTH),
    message: boundFailureMessage(ensureError(e).message),
  };
}
