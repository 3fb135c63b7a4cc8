// Event-time ordering for unordered deliveries.

/** True when `at` is strictly older than the time the stored state was set (`undefined`: nothing to be older than). */
export function isOlderEvent(at: string, storedAt: string | undefined): boolean {
  return storedAt !== undefined && Date.parse(at) < Date.parse(storedAt);
}
