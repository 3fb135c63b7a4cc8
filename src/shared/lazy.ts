// Process-wide singletons built on first use (clients, config-derived services), resettable from tests.
const registry = new Set<{ reset(): void }>();

export interface Lazy<T> {
  get(): T;
  /** Replace the value (tests inject clients pointed at the emulator/Azurite). */
  set(value: T): void;
  reset(): void;
}

export function lazy<T>(factory: () => T): Lazy<T> {
  let value: { v: T } | undefined;
  const handle: Lazy<T> = {
    get: () => (value ??= { v: factory() }).v,
    set: (v) => { value = { v }; },
    reset: () => { value = undefined; },
  };
  registry.add(handle);
  return handle;
}

/** Forget every lazily built singleton, so the next use re-reads configuration. */
export function resetAllLazies(): void {
  for (const h of registry) h.reset();
}
