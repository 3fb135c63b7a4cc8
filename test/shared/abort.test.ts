import { afterEach, describe, expect, it, vi } from 'vitest';
import { abortReason, sleep, untilAborted, withTimeout } from '../../src/shared/abort.js';
import { backoffDelayMs, exponentialDelayMs } from '../../src/shared/backoffDelayMs.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('abort helpers (src/shared/abort.ts)', () => {
  it('sleep resolves after the time, on fake timers', async () => {
    vi.useFakeTimers({ now: 0 });
    let done = false;
    const slept = sleep(1000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await slept;
    expect(done).toBe(true);
  });

  it('sleep rejects with the signal reason, or the given error, when aborted', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await expect(sleep(10, { signal: controller.signal, onAbort: () => new RangeError('mine') })).rejects.toBeInstanceOf(RangeError);
    const plain = new AbortController();
    plain.abort('not an error');
    expect(abortReason(plain.signal, 'gone')).toMatchObject({ name: 'AbortError', message: 'gone' });
  });

  it('untilAborted settles with the work, or rejects when the signal aborts first', async () => {
    const controller = new AbortController();
    await expect(untilAborted(Promise.resolve(7), controller.signal)).resolves.toBe(7);
    const never = new Promise<number>(() => undefined);
    const bounded = untilAborted(never, controller.signal, () => new Error('timed out'));
    controller.abort();
    await expect(bounded).rejects.toThrow('timed out');
  });

  it('withTimeout rejects with its error once the time has passed, and not before', async () => {
    vi.useFakeTimers({ now: 0 });
    const never = new Promise<number>(() => undefined);
    const bounded = withTimeout(never, 500, () => new Error('late'));
    const outcome = bounded.catch((e: Error) => e.message);
    await vi.advanceTimersByTimeAsync(500);
    expect(await outcome).toBe('late');
    await expect(withTimeout(Promise.resolve('ok'), 500, () => new Error('late'))).resolves.toBe('ok');
  });
});

describe('backoff (src/shared/backoffDelayMs.ts)', () => {
  it('doubles from the base up to the cap, and jitters within the upper half', () => {
    expect([0, 1, 2, 3, 4].map((s) => exponentialDelayMs(s, 1000, 8000))).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(backoffDelayMs(2, 1000, 8000, () => 0)).toBe(2000);
    expect(backoffDelayMs(2, 1000, 8000, () => 1)).toBe(4000);
  });
});
