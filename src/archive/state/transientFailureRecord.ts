// A transient failure as the chunk row records it while Durable retries: the step, the HTTP status when the error
// carries one, the failure model's stable code, and a bounded message (the same bounds as the outcome records).
import { ensureError, statusCodeOf } from '../../shared/errors.js';
import { classifyFailure } from '../../shared/failureModel.js';
import type { ArchiveFailure } from '../archiveModels.js';
import { boundFailureMessage } from '../archiveErrors.js';

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
