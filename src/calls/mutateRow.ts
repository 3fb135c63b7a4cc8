// The app's one optimistic write loop: read a row (or blob) with its ETag, compute the new value, write it only if
// nobody wrote in between (insert-if-absent for a missing one), and start over when somebody did. State-table rows
// (through CallStateStore's row handles), the listing index rows and the archive's manifest blob all write through it.
import type { Versioned } from './callStateModels.js';

/** Rounds of read → decide → conditional write before giving up. Each lost round means another writer won. */
export const DEFAULT_MUTATE_ATTEMPTS = 8;

/** One row's conditional operations. The writes resolve with the new ETag, or `undefined` when they lost the race. */
export interface RowOperations<T> {
  get(): Promise<Versioned<T> | undefined>;
  /** Insert-if-absent. */
  insert(value: T): Promise<string | undefined>;
  /** Replace-if-`etag`-still-matches. */
  replace(value: T, etag: string): Promise<string | undefined>;
}

export interface MutateRowOptions<T> {
  /** Default {@link DEFAULT_MUTATE_ATTEMPTS}. */
  attempts?: number;
  /**
   * The row as the caller already read it (`row` undefined: absent), used instead of the first read. Its ETag (or
   * insert-if-absent) makes the write fail if it is stale, and the next round re-reads as usual.
   */
  snapshot?: { row: Versioned<T> | undefined };
  /** The error thrown when every round was lost (default a {@link ConcurrentUpdateError}). */
  gaveUp?: () => unknown;
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
  { attempts = DEFAULT_MUTATE_ATTEMPTS, snapshot, gaveUp }: MutateRowOptions<T> = {},
): Promise<T | undefined> {
  for (let i = 0; i < attempts; i++) {
    let current = i === 0 && snapshot ? snapshot.row : await ops.get();
    let next = change(current?.value);
    if (next === undefined && i === 0 && snapshot) {
      // Only a conditional write checks a snapshot: "leave it as it is" is answered from a fresh read.
      current = await ops.get();
      next = change(current?.value);
    }
    if (next === undefined) return current?.value;
    const etag = current ? await ops.replace(next, current.etag) : await ops.insert(next);
    if (etag !== undefined) return next;
  }
  throw gaveUp ? gaveUp() : new ConcurrentUpdateError(`The state row kept changing; gave up after ${attempts} attempts`);
}
