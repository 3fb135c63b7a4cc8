// Activity: write the recording's manifest.json next to its chunks. If a manifest is already there (a re-executed
// activity, or another instance for an overlapping chunk set), the two are merged per document id and written back
// with an ETag condition, so concurrent writers never lose each other's chunks.
import type { InvocationContext } from '@azure/functions';
import type { BlockBlobClient } from '@azure/storage-blob';
import { ensureError } from '../../shared/errors.js';
import { contextLogger } from '../../shared/logging.js';
import type { WriteRecordingManifestInput, WriteRecordingManifestResult } from '../archiveModels.js';
import { archiveContainerClient, ensureArchiveContainer } from '../archiveContainerClient.js';
import { applyBlobTags } from '../applyBlobTags.js';
import { blobLabels } from '../blobLabels.js';
import { manifestBlobName } from '../blobLayout.js';
import { buildRecordingManifest, mergeRecordingManifests, type RecordingManifest } from '../buildRecordingManifest.js';

/** Optimistic-concurrency rounds before giving up (and letting Durable retry the activity). */
export const MANIFEST_WRITE_ATTEMPTS = 5;

const statusOf = (e: unknown) => (e as { statusCode?: unknown }).statusCode;

async function readManifest(blob: BlockBlobClient): Promise<{ manifest?: RecordingManifest; etag?: string }> {
  try {
    const res = await blob.download();
    const text = await streamToString(res.readableStreamBody);
    try {
      return { manifest: JSON.parse(text) as RecordingManifest, etag: res.etag };
    } catch {
      return { etag: res.etag }; // Unreadable: replace it (the ETag condition still guards against races).
    }
  } catch (e) {
    if (statusOf(e) === 404) return {};
    throw e;
  }
}

async function streamToString(body: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!body) return '';
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(typeof part === 'string' ? Buffer.from(part) : part);
  return Buffer.concat(parts).toString('utf8');
}

/** The `writeRecordingManifest` activity handler. */
export async function writeRecordingManifest(rawInput: unknown, context: InvocationContext): Promise<WriteRecordingManifestResult> {
  const input = rawInput as WriteRecordingManifestInput;
  const log = contextLogger(context, { recordingId: input.recording.recordingId, serverCallId: input.recording.serverCallId });
  await ensureArchiveContainer();
  const name = manifestBlobName(input.blobPrefix);
  const blob = archiveContainerClient.get().getBlockBlobClient(name);
  const labels = blobLabels({ recording: input.recording, kind: 'manifest' });
  const next = buildRecordingManifest(input);

  for (let attempt = 1; ; attempt++) {
    const { manifest: existing, etag } = await readManifest(blob);
    const merged = mergeRecordingManifests(existing, next);
    const body = Buffer.from(`${JSON.stringify(merged, null, 2)}\n`, 'utf8');
    try {
      await blob.uploadData(body, {
        blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' },
        metadata: labels.metadata,
        conditions: etag ? { ifMatch: etag } : { ifNoneMatch: '*' },
      });
      await applyBlobTags(blob, labels.tags, log);
      log.info('Recording manifest written', { blobName: name, chunks: merged.chunks.length, status: merged.status, merged: !!existing });
      return { blobName: name, sizeBytes: body.length, chunkCount: merged.chunks.length };
    } catch (e) {
      const status = statusOf(e);
      if ((status === 412 || status === 409) && attempt < MANIFEST_WRITE_ATTEMPTS) {
        log.info('Manifest changed while merging; merging again', { attempt });
        continue;
      }
      log.warn('Writing the manifest failed', { error: ensureError(e).message, attempt });
      throw e;
    }
  }
}
