// When a chunk that failed transiently is tried again: exponential backoff from 5 s, doubling, capped at 15 minutes,
// never past the archive's deadline (the event's time + ARCHIVE_RETRY_HORIZON_HOURS). The cap is what makes
// "archiving resumes within 15 minutes after an outage ends" hold, whenever the outage ends inside the window.
// Pure (no clock of its own): the orchestrator passes `currentUtcDateTime`, so replays compute the same schedule.
import { exponentialDelayMs } from '../shared/backoffDelayMs.js';

export const ARCHIVE_RETRY_FIRST_DELAY_MS = 5_000;
export const ARCHIVE_RETRY_MAX_DELAY_MS = 15 * 60_000;
const HOUR_MS = 3_600_000;

/** Delay before attempt `attempts + 1`, after `attempts` (≥ 1) transient failures. */
export function archiveRetryDelayMs(attempts: number): number {
  return exponentialDelayMs(Math.min(attempts - 1, 30), ARCHIVE_RETRY_FIRST_DELAY_MS, ARCHIVE_RETRY_MAX_DELAY_MS);
}

/** The next attempt after `attempts` failures at `nowMs`, or undefined when the deadline has passed (give up). */
export function nextArchiveAttemptMs(attempts: number, nowMs: number, deadlineMs: number): number | undefined {
  if (nowMs >= deadlineMs) return undefined;
  return Math.min(nowMs + archiveRetryDelayMs(attempts), deadlineMs);
}

/** The deadline of an archive started at `from` (event time, or the re-drive's now). */
export function archiveDeadline(from: Date, horizonHours: number): string {
  return new Date(from.getTime() + horizonHours * HOUR_MS).toISOString();
}
