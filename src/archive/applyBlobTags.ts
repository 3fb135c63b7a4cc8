// Index tags are set in their own request after the blob is committed, and a refusal (403) only costs the tags.
// Why not with the commit: writing tags needs the `blobs/tags/write` data action, which the usual archive role
// (Storage Blob Data Contributor) may not grant; an archive must never fail for want of a search label.
// Set Blob Tags does not change the blob's content, ETag or Last-Modified, so re-applying is harmless.
import type { BlobClient } from '@azure/storage-blob';
import type { Logger } from '../shared/logging.js';
import { statusCodeOf } from '../shared/errors.js';

/** Sets `tags` on the blob; 403 is logged and tolerated, anything else is thrown (transient: the caller retries). */
export async function applyBlobTags(blob: BlobClient, tags: Record<string, string>, log: Logger): Promise<void> {
  if (Object.keys(tags).length === 0) return;
  try {
    await blob.setTags(tags);
  } catch (e) {
    if (statusCodeOf(e) === 403) {
      log.warn('Not allowed to set blob index tags (needs blobs/tags/write); the blob is archived without them', { blobName: blob.name });
      return;
    }
    throw e;
  }
}
