// Activity: delete a chunk's files at ACS — but only after checking, right before the DELETE, that every archived
// blob of the chunk is in storage with exactly the size and MD5 the archive step verified. The orchestrator only
// schedules this for chunks whose archive succeeded; this check makes "never delete an unverified archive" hold
// even against a blob changed or removed in between.
import type { InvocationContext } from '@azure/functions';
import { isAcsRequestError } from '../../acs/errors.js';
import { assertAllowedMediaUrl } from '../../acs/mediaUrlAllowList.js';
import { acsMediaClient } from '../../acs/clients.js';
import { getConfig } from '../../config.js';
import { ensureError } from '../../shared/errors.js';
import { contextLogger, redactUrl } from '../../shared/logging.js';
import type { DeleteChunkSourceInput, DeleteChunkSourceResult } from '../archiveModels.js';
import { ArchiveNotVerifiedError, toPermanentFailure } from '../archiveErrors.js';
import { archiveContainerClient } from '../archiveContainerClient.js';

/** The `deleteChunkSource` activity handler. */
export async function deleteChunkSource(rawInput: unknown, context: InvocationContext): Promise<DeleteChunkSourceResult> {
  const input = rawInput as DeleteChunkSourceInput;
  const log = contextLogger(context, {
    recordingId: input.recordingId,
    serverCallId: input.serverCallId,
    documentId: input.documentId,
    chunkIndex: input.chunkIndex,
  });
  try {
    assertAllowedMediaUrl(input.deleteLocation, getConfig().mediaAllowedOrigins, 'deleteLocation');
    await verifyArchived(input);
    try {
      await acsMediaClient.get().delete(input.deleteLocation, { recordingId: input.recordingId, serverCallId: input.serverCallId });
    } catch (e) {
      // Already gone (a previous attempt deleted it and its completion was lost, or ACS expired it): the goal holds.
      if (isAcsRequestError(e) && (e.statusCode === 404 || e.statusCode === 410)) {
        log.info('Chunk source was already deleted', { statusCode: e.statusCode });
        return { ok: true, deletedAt: new Date().toISOString(), alreadyDeleted: true };
      }
      throw e;
    }
    log.info('Chunk source deleted after verified archive', { deleteLocation: redactUrl(input.deleteLocation) });
    return { ok: true, deletedAt: new Date().toISOString(), alreadyDeleted: false };
  } catch (e) {
    const failure = toPermanentFailure(e, 'delete');
    if (failure) {
      log.error('Chunk source not deleted (permanent, not retried)', { code: failure.code, statusCode: failure.statusCode, error: failure.message });
      return { ok: false, failure };
    }
    log.warn('Deleting the chunk source failed (transient, will be retried)', { error: ensureError(e).message });
    throw e;
  }
}

async function verifyArchived(input: DeleteChunkSourceInput): Promise<void> {
  if (input.verify.length === 0) throw new ArchiveNotVerifiedError('No archived blobs to verify; refusing to delete the source');
  const container = archiveContainerClient.get();
  for (const expected of input.verify) {
    let props;
    try {
      props = await container.getBlobClient(expected.blobName).getProperties();
    } catch (e) {
      if ((e as { statusCode?: unknown }).statusCode === 404) {
        throw new ArchiveNotVerifiedError(`Archived blob ${expected.blobName} is missing; refusing to delete the source`);
      }
      throw e;
    }
    const md5 = props.contentMD5 ? Buffer.from(props.contentMD5).toString('base64') : undefined;
    if (props.contentLength !== expected.sizeBytes || md5 !== expected.md5Base64) {
      throw new ArchiveNotVerifiedError(
        `Archived blob ${expected.blobName} is ${props.contentLength ?? '?'} bytes / MD5 ${md5 ?? 'none'}, ` +
          `expected ${expected.sizeBytes} bytes / MD5 ${expected.md5Base64}; refusing to delete the source`,
      );
    }
  }
}
