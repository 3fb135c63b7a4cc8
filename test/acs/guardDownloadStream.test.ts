// The download body guard with real in-process streams: bytes pass unchanged, and a reset, short or stalled body
// errors the stream with a typed AcsRequestError instead of ending quietly or hanging.
import { PassThrough, Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { guardDownloadStream } from '../../src/acs/guardDownloadStream.js';

describe('guardDownloadStream', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes the bytes through unchanged', async () => {
    const body = guardDownloadStream(Readable.from([Buffer.from('hello '), Buffer.from('world')]), { expectedBytes: 11, idleTimeoutMs: 1000 });
    expect(await text(body)).toBe('hello world');
  });

  it('errors with NetworkError when the body ends short of Content-Length', async () => {
    const body = guardDownloadStream(Readable.from([Buffer.from('abc')]), { expectedBytes: 10, idleTimeoutMs: 1000 });
    await expect(text(body)).rejects.toMatchObject({ name: 'AcsRequestError', code: 'NetworkError', message: 'download body ended after 3 of 10 bytes' });
  });

  it('errors with NetworkError on a reset, keeping the cause and the byte count', async () => {
    const source = new PassThrough();
    const body = guardDownloadStream(source, { idleTimeoutMs: 1000 });
    const done = text(body);
    source.write(Buffer.from('12345'));
    setImmediate(() => source.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
    await expect(done).rejects.toMatchObject({ code: 'NetworkError', message: 'download body failed after 5 bytes: aborted' });
  });

  it('errors with Timeout when no data arrives for idleTimeoutMs while reading, and closes the source', async () => {
    vi.useFakeTimers();
    const source = new PassThrough();
    const body = guardDownloadStream(source, { idleTimeoutMs: 5000 });
    const done = text(body).catch((e: unknown) => e);
    source.write(Buffer.from('x'));
    await vi.advanceTimersByTimeAsync(4999);
    expect(body.destroyed).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(await done).toMatchObject({ code: 'Timeout', message: 'download body stalled: no data for 5000 ms after 1 bytes' });
    expect(source.destroyed).toBe(true);
  });

  it('does not time out while the consumer is not reading (backpressure is not a stall)', async () => {
    vi.useFakeTimers();
    const source = new PassThrough();
    const body = guardDownloadStream(source, { idleTimeoutMs: 1000 });
    // Nobody reads `body`: no demand, so no stall timer.
    source.end(Buffer.from('late'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(body.destroyed).toBe(false);
    vi.useRealTimers();
    expect(await text(body)).toBe('late');
  });
});
