// Timeouts and aborts, in one place: the error an abort rejects with, an abortable sleep, and bounding a promise by a
// signal or a time. Every wait here runs on setTimeout, so fake timers drive it in tests. None of them cancels the
// work it bounds (a promise cannot be cancelled): a caller that can pass a signal to the work itself should.

/** An AbortSignal, or the `AbortSignalLike` of core-rest-pipeline requests. */
export interface SignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** The error of an abort nobody gave a reason for: a DOMException named `AbortError`, as fetch and the SDKs throw. */
export function abortError(message = 'The operation was aborted.'): Error {
  return new DOMException(message, 'AbortError');
}

/** What an aborted `signal` rejects with: its reason when that is an Error, else {@link abortError}. */
export function abortReason(signal: SignalLike, message?: string): Error {
  return signal.reason instanceof Error ? signal.reason : abortError(message);
}

/** Options of {@link sleep}. */
export interface SleepOptions {
  signal?: SignalLike;
  /** The error to reject with when `signal` aborts (default {@link abortReason}). */
  onAbort?: () => Error;
}

/** Resolves after `ms`; rejects as soon as `signal` aborts (at once if it already has). */
export function sleep(ms: number, { signal, onAbort }: SleepOptions = {}): Promise<void> {
  const rejection = () => (onAbort ? onAbort() : abortReason(signal!));
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(rejection());
    const aborted = () => {
      clearTimeout(timer);
      reject(rejection());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }, ms);
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

/** `work`, or a rejection with `onAbort()` as soon as `signal` aborts (at once if it already has). */
export function untilAborted<T>(work: Promise<T>, signal: SignalLike, onAbort: () => Error = () => abortReason(signal)): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const aborted = () => reject(onAbort());
    if (signal.aborted) return aborted();
    signal.addEventListener('abort', aborted, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', aborted));
  });
}

/** `work`, or a rejection with `onTimeout()` once `ms` have passed. */
export async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    return await untilAborted(work, controller.signal, onTimeout);
  } finally {
    clearTimeout(timer);
  }
}
