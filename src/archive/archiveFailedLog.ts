// The one line an operator's alert keys on when the archive gives up on a chunk (a permanent failure, or transient
// failures until the retry deadline): an error with the stable message `ArchiveFailed` and the recording, call and
// document ids. Written by the manifest activity (which knows every id from the plan), or by the orchestrator when
// not even the manifest could be written.
import type { LogFields, Logger } from '../shared/logging.js';
import { LOG_MESSAGES } from '../shared/telemetryNames.js';

export const ARCHIVE_FAILED_MESSAGE = LOG_MESSAGES.archiveFailed;

export function logArchiveFailed(log: Logger, fields: LogFields): void {
  log.error(ARCHIVE_FAILED_MESSAGE, fields);
}
