// The download link of one archived file of a chunk: the chunk's row in the state table names the blob (no listing),
// and only an `archived` chunk (both files verified) has links. The link issued is logged with the recording id,
// chunk index, blob name and expiry — never the URL, whose query is the SAS token.
import type { CallStateStore } from '../calls/CallStateStore.js';
import { NotFoundError } from '../shared/errors.js';
import type { Logger } from '../shared/logging.js';
import { archiveContainerClient } from './archiveContainerClient.js';
import { createDownloadUrl, type DownloadUrl } from './createDownloadUrl.js';

export type ChunkFileName = 'media' | 'metadata';

export async function chunkDownloadLink(
  store: CallStateStore,
  ref: { recordingId: string; index: number; file: ChunkFileName },
  validForMs: number,
  log: Logger,
): Promise<DownloadUrl> {
  const row = (await store.getChunk(ref.recordingId, ref.index))?.value;
  const blobName = row?.status === 'archived' ? (ref.file === 'media' ? row.mediaBlobName : row.metadataBlobName) : undefined;
  if (blobName === undefined) throw new NotFoundError(`Chunk ${ref.index} of this recording is not archived`);
  const link = await createDownloadUrl(archiveContainerClient.get(), blobName, validForMs);
  log.info('Download link issued', { recordingId: ref.recordingId, chunkIndex: ref.index, file: ref.file, blobName, sas: link.kind, expiresAt: link.expiresOn.toISOString() });
  return link;
}
