// A multi-hundred-MiB file streams end to end without memory growing with its size (measured loosely, not timed).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAcsEmulator, type AcsEmulator } from '../../../tools/acs-emulator/index.js';
import { mediaRequest } from './support/mediaClient.js';

const MiB = 1024 * 1024;
const SIZE = 512 * MiB + 12_345;

describe('large files', () => {
  let acs: AcsEmulator;

  beforeAll(async () => {
    acs = await startAcsEmulator();
  });
  afterAll(() => acs.close());

  it(`streams a ${Math.round(SIZE / MiB)} MiB file over HTTP with bounded memory, bytes identical to openFile`, { timeout: 120_000 }, async () => {
    const chunk = acs.createRecordingWithFiles({ chunks: [SIZE] }).chunks[0]!;
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const res = await mediaRequest(acs, 'GET', chunk.contentLocation);
    expect(res.status).toBe(200);
    const hash = createHash('md5');
    let received = 0;
    for await (const part of res.stream!) {
      const buf = part as Buffer;
      hash.update(buf);
      received += buf.length;
      if ((received & (16 * MiB - 1)) < buf.length) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    expect(received).toBe(SIZE);
    // Emulator and client share this process; neither may hold the file. Allow generous slack for GC timing.
    expect(rssPeak - rssBefore).toBeLessThan(128 * MiB);
    expect(hash.digest('base64')).toBe(await acs.fileMd5(chunk.documentId, 'content'));
  });
});
