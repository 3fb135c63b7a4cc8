// Reads a recording's manifest.json back from the archive: the manifest activity merges into it (with its ETag), and
// a re-drive reads which chunks are already archived so they are neither downloaded nor deleted again.
import type { BlockBlobClient } from '@azure/storage-blob';
import { statusCodeOf } from '../shared/errors.js';
import type { RecordingManifest } from './buildRecordingManifest.js';

/** The manifest and its ETag; `{}` when there is none. An unreadable manifest comes back without `manifest`. */
export async function readRecordingManifest(blob: BlockBlobClient): Promise<{ manifest?: RecordingManifest; etag?: string }> {
  try {
    const res = await blob.download();
    const text = await streamToString(res.readableStreamBody);
    try {
      return { manifest: JSON.parse(text) as RecordingManifest, etag: res.etag };
    } catch {
      return { etag: res.etag }; // Unreadable: the writer replaces it (the ETag condition still guards against races).
    }
  } catch (e) {
    if (statusCodeOf(e) === 404) return {};
    throw e;
  }
}

async function streamToString(body: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!body) return '';
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(typeof part === 'string' ? Buffer.from(part) : part);
  return Buffer.concat(parts).toString('utf8');
}
