// End stage: writes an EmulatorResponse, applying the body faults:
//  - reset: the head and the first `afterBytes` body bytes go out, then the socket is destroyed;
//  - slow:  the body is throttled to `bytesPerSecond`;
//  - zeroHead: the body's first bytes are zeros (same length), so its container signature is wrong.
// Streams are piped with backpressure, so multi-GiB bodies never sit in memory.
import type { ServerResponse } from 'node:http';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { throttleStream } from '../faults/throttleStream.js';
import type { EmulatorResponse } from './EmulatorResponse.js';
import type { RequestContext } from './RequestContext.js';

function bodyStream(body: EmulatorResponse['body']): Readable {
  if (body === undefined) return Readable.from([]);
  return Buffer.isBuffer(body) ? Readable.from([body]) : body;
}

async function writeThenReset(res: ServerResponse, body: Readable, afterBytes: number): Promise<void> {
  res.flushHeaders();
  let sent = 0;
  let lastWrite: Promise<void> = Promise.resolve();
  for await (const chunk of body) {
    const remaining = afterBytes - sent;
    if (remaining <= 0) break;
    const buf = chunk as Buffer;
    const piece = buf.length > remaining ? buf.subarray(0, remaining) : buf;
    sent += piece.length;
    lastWrite = new Promise<void>((resolve) => res.write(piece, () => resolve()));
    if (res.writableNeedDrain) await new Promise((resolve) => res.once('drain', resolve));
  }
  body.destroy();
  // Let the head and the bytes reach the socket, then close it short of Content-Length: end() flushes what is
  // queued (a bare destroy() could drop the head), finish → destroy makes sure the connection really goes away.
  await lastWrite;
  const socket = res.socket;
  if (!socket) return;
  socket.once('finish', () => socket.destroy());
  socket.end();
}

/** Replaces the first `count` bytes of a stream with zeros (copies: pushed chunks of the source are read-only). */
function zeroHead(count: number): Transform {
  let left = count;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (left <= 0) return done(null, chunk);
      const copy = Buffer.from(chunk);
      copy.fill(0, 0, Math.min(left, copy.length));
      left -= copy.length;
      done(null, copy);
    },
  });
}

export async function writeResponse(ctx: RequestContext, res: ServerResponse, response: EmulatorResponse): Promise<void> {
  const headers: Record<string, string | number> = { ...response.headers };
  const clientRequestId = ctx.headers['x-ms-client-request-id'];
  if (typeof clientRequestId === 'string') headers['x-ms-client-request-id'] = clientRequestId;
  if (Buffer.isBuffer(response.body)) headers['content-length'] = response.body.length;
  if (response.body === undefined && response.status !== 204 && response.status !== 304 && headers['content-length'] === undefined) {
    headers['content-length'] = 0;
  }
  res.writeHead(response.status, headers);
  ctx.entry.status = response.status;

  const fault = ctx.bodyFault;
  if (fault?.type === 'zeroHead') return pipeline(bodyStream(response.body), zeroHead(fault.bytes ?? 16), res);
  if (fault?.type === 'reset') return writeThenReset(res, bodyStream(response.body), fault.afterBytes);
  if (response.body === undefined) {
    res.end();
    return;
  }
  if (fault?.type === 'slow') return pipeline(bodyStream(response.body), throttleStream(fault.bytesPerSecond), res);
  if (Buffer.isBuffer(response.body)) {
    res.end(response.body);
    return;
  }
  return pipeline(response.body, res);
}
