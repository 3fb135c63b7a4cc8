// The one backoff of the app's quick retries (the ACS client's retry policy, the transfer engine's resumes):
// exponential with "equal jitter", so concurrent retriers spread out but never retry sooner than half the step.

/**
 * The wait before retry number `step` + 1 (`step` 0 waits about `baseMs`): half of `min(maxMs, baseMs * 2^step)`
 * fixed, plus up to the same again at random.
 *
 * @example backoffDelayMs(2, 1000, 8000, () => 1) // 4000
 */
export function backoffDelayMs(step: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, step));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
