// The orchestrator's side of `recordArchiveStatus`: one small activity call per round (after each batch, at a wait,
// at the end). A failed status write never fails the archive: it is logged, and the next call writes the state again.
import type * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { Logger } from '../shared/logging.js';
import type { RecordArchiveStatusInput } from './activities/recordArchiveStatus.js';
import { RECORD_ARCHIVE_STATUS_ACTIVITY } from './archiveFunctionNames.js';

export function* recordArchiveStatusTask(
  context: OrchestrationContext,
  input: RecordArchiveStatusInput,
  log: Logger,
  retry?: df.RetryOptions,
): Generator<Task, void, unknown> {
  try {
    yield retry ? context.df.callActivityWithRetry(RECORD_ARCHIVE_STATUS_ACTIVITY, retry, input) : context.df.callActivity(RECORD_ARCHIVE_STATUS_ACTIVITY, input);
  } catch (e) {
    if (!context.df.isReplaying) log.warn('Recording the archive status failed', { status: input.status, error: e instanceof Error ? e.message.split('\n')[0] : String(e) });
  }
}
