// Deletes a chunk's files at ACS — but only after checking, right before the DELETE, that every archived blob of
// the chunk is still a verified copy (transfer/verifiedCopy.ts) with exactly the size and MD5 the archive step
// verified. This makes "never delete an unverified archive" hold even against a blob changed or removed in between.
// A deleteLocation that does not name the chunk's documentId is never called (it may be another recording's object):
// the source is kept, with a warning. The allow-list is not checked here: the edge did, and the ACS media client
// checks the URL again before it signs the DELETE.
import { isAcsRequestError } from '../acs/errors.js';
import { acsMediaClient } from '../acs/clients.js';
import { redactUrl, type Logger } from '../shared/logging.js';
import type { ArchivedFile } from './archiveModels.js';
import type { ChunkRef, RecordingRef } from './archivePlan.js';
import { ArchiveNotVerifiedError } from './archiveErrors.js';
import { archiveContainerClient } from './archiveContainerClient.js';
import { ChunkLocationMismatchError, locationNamesDocument } from './chunkLocation.js';
import { inspectBlob } from './transfer/verifiedCopy.js';

/**
 * Re-verifies `verify` in storage, then deletes the chunk at its `deleteLocation`. A 404/410 from ACS means the
 * goal already holds (logged). Throws {@link ArchiveNotVerifiedError} (nothing deleted),
 * {@link ChunkLocationMismatchError} (deleteLocation names another object: nothing requested, warning
 * `DeleteLocationMismatch` logged) or the ACS client's error (a `DisallowedUrlError` before anything is sent).
 */
export async function deleteVerifiedSource(
  recording: Pick<RecordingRef, 'recordingId' | 'serverCallId'>,
  chunk: ChunkRef,
  verify: readonly ArchivedFile[],
  log: Logger,
): Promise<void> {
  if (!locationNamesDocument(chunk.deleteLocation, chunk.documentId)) {
    // A format change of ACS costs storage this way, never a recording.
    log.warn('DeleteLocationMismatch: the deleteLocation does not name the chunk; the source is kept and nothing is deleted', {
      code: 'DeleteLocationMismatch',
      recordingId: recording.recordingId,
      serverCallId: recording.serverCallId,
      documentId: chunk.documentId,
      chunkIndex: chunk.index,
      deleteLocation: redactUrl(chunk.deleteLocation),
    });
    throw new ChunkLocationMismatchError('deleteLocation', chunk.documentId);
  }
  await verifyArchived(verify);
  try {
    await acsMediaClient.get().delete(chunk.deleteLocation, { recordingId: recording.recordingId, serverCallId: recording.serverCallId, logger: log });
  } catch (e) {
    // Already gone (a previous attempt deleted it and its completion was lost, or ACS expired it): the goal holds.
    if (isAcsRequestError(e) && (e.statusCode === 404 || e.statusCode === 410)) {
      log.info('Chunk source was already deleted', { statusCode: e.statusCode });
      return;
    }
    throw e;
  }
  log.info('Chunk source deleted after verified archive', { deleteLocation: redactUrl(chunk.deleteLocation) });
}

async function verifyArchived(verify: readonly ArchivedFile[]): Promise<void> {
  if (verify.length === 0) throw new ArchiveNotVerifiedError('No archived blobs to verify; refusing to delete the source');
  const container = archiveContainerClient.get();
  for (const expected of verify) {
    // Still the verified copy the archive step reported: the same size and MD5, with its completion marker.
    const stored = await inspectBlob(container.getBlobClient(expected.blobName), { sizeBytes: expected.sizeBytes, md5Base64: expected.md5Base64 });
    if (stored.kind === 'complete') continue;
    const why = stored.kind === 'absent' ? 'is missing' : stored.reason;
    throw new ArchiveNotVerifiedError(`Archived blob ${expected.blobName} ${why}; refusing to delete the source`);
  }
}
