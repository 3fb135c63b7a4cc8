// Reads a stream to the end: its bytes, MD5 (base64) and how many chunks it arrived in.
import { createHash } from 'node:crypto';

export async function readAll(stream: NodeJS.ReadableStream): Promise<{ bytes: Buffer; md5: string; chunks: number }> {
  const parts: Buffer[] = [];
  const hash = createHash('md5');
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    parts.push(buf);
    hash.update(buf);
  }
  return { bytes: Buffer.concat(parts), md5: hash.digest('base64'), chunks: parts.length };
}
