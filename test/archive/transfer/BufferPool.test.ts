// The buffer pool is the transfer's memory bound and its backpressure: never more than `capacity` buffers out,
// waiters served in order, full-size buffers reused, and a waiting reader released by an abort.
import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../../src/archive/transfer/BufferPool.js';

/** Resolves once pending promise callbacks have run (no timers involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('BufferPool', () => {
  it('hands out at most `capacity` buffers and makes the next caller wait for a release', async () => {
    const pool = new BufferPool(64, 2);
    const a = await pool.acquire(64);
    const b = await pool.acquire(64);
    let third: Buffer | undefined;
    void pool.acquire(64).then((x) => (third = x));
    await settle();
    expect(third).toBeUndefined();
    expect(pool.outstanding).toBe(2);

    pool.release(a);
    await settle();
    // The released buffer is reused, not reallocated.
    expect(third).toBe(a);
    expect(pool.outstanding).toBe(2);
    pool.release(b);
    pool.release(third!);
    expect(pool.outstanding).toBe(0);
  });

  it('serves waiters first come, first served, and counts a shorter (last) block against the bound', async () => {
    const pool = new BufferPool(64, 1);
    const first = await pool.acquire(10);
    expect(first.length).toBe(10);
    const order: string[] = [];
    const x = pool.acquire(64).then((buf) => (order.push('x'), buf));
    const y = pool.acquire(64).then((buf) => (order.push('y'), buf));
    pool.release(first);
    const bx = await x;
    await settle();
    expect(order).toEqual(['x']);
    pool.release(bx);
    pool.release(await y);
    expect(order).toEqual(['x', 'y']);
  });

  it('rejects a waiting acquire when its signal aborts, and gives the slot to the next waiter instead', async () => {
    const pool = new BufferPool(64, 1);
    const held = await pool.acquire(64);
    const controller = new AbortController();
    const aborted = pool.acquire(64, controller.signal);
    const next = pool.acquire(64);
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    pool.release(held);
    await expect(next).resolves.toBe(held);
    await expect(pool.acquire(64, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });

  it('allocates in shared memory when asked (for the hash thread), and in ordinary memory otherwise', async () => {
    const shared = new BufferPool(64, 2, true);
    expect((await shared.acquire(64)).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect((await shared.acquire(10)).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect((await new BufferPool(64, 1).acquire(64)).buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });
});
