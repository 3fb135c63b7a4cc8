// Optimistic read-modify-write of one state-table row: read it with its ETag, compute the new row, write it only
// if nobody wrote in between (insert-if-absent for a missing row), and start over when somebody did.
import type { Versioned } from './callStateModels.js';

/** Rounds of read → decide → conditional write before giving up. Each lost round means another writer won. */
export const DEFAULT_MUTATE_ATTEMPTS = 8;

export interface RowOperations<T> {
  get(): Promise<Versioned<T> | undefined>;
  insert(value: T): Promise<string | undefined>;
  replace(value: T, etag: string): Promise<string | undefined>;
}

export class ConcurrentUpdateError extends Error {
  override readonly name = 'ConcurrentUpdateError';
}

/**
 * Applies `change` to the row (undefined when absent). `change` returning undefined means "leave it as it is".
 * Resolves with the row as written (or as found, when unchanged).
 */
export async function mutateRow<T>(
  ops: RowOperations<T>,
  change: (current: T | undefined) => T | undefined,
  attempts = DEFAULT_MUTATE_ATTEMPTS,
): Promise<T | undefined> {
  for (let i = 0; i < attempts; i++) {
    const current = await ops.get();
    const next = change(current?.value);
    if (next === undefined) return current?.value;
    const etag = current ? await ops.replace(next, current.etag) : await ops.insert(next);
    if (etag !== undefined) return next;
  }
  throw new ConcurrentUpdateError(`The state row kept changing; gave up after ${attempts} attempts`);
}
