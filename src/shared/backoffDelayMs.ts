// The one backoff formula of the app: `min(maxMs, baseMs * 2^step)`. The quick retries (the ACS client's retry
// policy, the transfer engine's resumes) add "equal jitter" to it, so concurrent retriers spread out but never retry
// sooner than half the step; the durable schedules (the archive's chunk retries, replayed, so deterministic) and the
// OpenID fetch use it as it is.

/**
 * The exponential step `step` (0 → `baseMs`), capped at `maxMs`.
 *
 * @example exponentialDelayMs(2, 1000, 8000) // 4000
 */
export function exponentialDelayMs(step: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, step));
}

/**
 * The wait before retry number `step` + 1 (`step` 0 waits about `baseMs`): half of {@link exponentialDelayMs}
 * fixed, plus up to the same again at random.
 *
 * @example backoffDelayMs(2, 1000, 8000, () => 1) // 4000
 */
export function backoffDelayMs(step: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = exponentialDelayMs(step, baseMs, maxMs);
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
