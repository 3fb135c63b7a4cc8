// A pass-through stream limited to `bytesPerSecond` (the `slow` fault), in ~100 ms slices.
import { Transform } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

export function throttleStream(bytesPerSecond: number): Transform {
  const rate = Math.max(1, bytesPerSecond);
  const slice = Math.max(1, Math.floor(rate / 10));
  const started = Date.now();
  let sent = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      void (async () => {
        for (let i = 0; i < chunk.length; i += slice) {
          const piece = chunk.subarray(i, i + slice);
          // Wait until sending this piece keeps the average at or below the rate.
          const due = started + ((sent + piece.length) / rate) * 1000;
          const wait = due - Date.now();
          if (wait > 0) await sleep(wait);
          sent += piece.length;
          this.push(piece);
        }
      })().then(() => callback(), (e: unknown) => callback(e as Error));
    },
  });
}
