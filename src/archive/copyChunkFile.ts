// One file of one chunk (media or metadata document) from ACS into its archive blob, streamed and verified by the
// transfer engine (size, MD5, and the chunk file proof: a recording / this chunk's metadata document) — or, if the
// blob already holds this exact file verified, reused without contacting ACS.
// Throws on any failure; the activity decides what is permanent. The URL's allow-list check is the edge's and the
// ACS media client's (before every signed request), not repeated here.
import { acsMediaClient } from '../acs/clients.js';
import { getConfig } from '../config.js';
import { redactUrl, type Logger } from '../shared/logging.js';
import { recordFileArchived } from '../shared/telemetry.js';
import type { ArchiveFileKind, ArchivedFile } from './archiveModels.js';
import type { ArchivePlan, ChunkRef } from './archivePlan.js';
import { applyBlobTags } from './applyBlobTags.js';
import { archiveContainerClient, ensureArchiveContainer } from './archiveContainerClient.js';
import { blobLabels } from './blobLabels.js';
import { blobLogName, chunkBlobName, chunkFileContentType } from './blobLayout.js';
import { mediaProof, metadataProof } from './chunkFileProofs.js';
import { assertLocationNamesDocument } from './chunkLocation.js';
import { mediaRangeSource } from './transfer/mediaRangeSource.js';
import { transferToBlockBlob } from './transfer/transferToBlockBlob.js';

export interface CopiedChunkFile {
  file: ArchivedFile;
  /** The blob already held this exact, verified file: nothing was downloaded. */
  reusedExisting: boolean;
  resumes: number;
}

/** Archives `kind` of `chunk` into the blob the layout names for it. */
export async function copyChunkFile(plan: ArchivePlan, chunk: ChunkRef, kind: ArchiveFileKind, log: Logger): Promise<CopiedChunkFile> {
  const config = getConfig();
  const sourceUrl = kind === 'content' ? chunk.contentLocation : chunk.metadataLocation;
  const field = kind === 'content' ? 'contentLocation' : 'metadataLocation';
  // The plan comes from storage: no download may fetch another chunk's object.
  assertLocationNamesDocument(sourceUrl, chunk.documentId, field);
  await ensureArchiveContainer();
  const { recording } = plan;
  const blobName = chunkBlobName(plan.blobPrefix, chunk, kind, recording.format);
  const contentType = chunkFileContentType(kind, recording.format);
  const blob = archiveContainerClient.get().getBlockBlobClient(blobName);
  const labels = blobLabels({ recording, kind, chunkIndex: chunk.index, documentId: chunk.documentId });

  // At-least-once delivery, a Durable retry after a later step failed, or a second instance for an overlapping
  // chunk set: the engine's first step finds a verified copy of this very file (its source tag) and reuses it
  // without opening the source, so ACS is not touched again (its source may even be deleted by now).
  log.info('Archiving chunk file', { kind, source: redactUrl(sourceUrl), blob: blobLogName(blobName) });
  const source = mediaRangeSource(acsMediaClient.get(), sourceUrl, { recordingId: recording.recordingId, serverCallId: recording.serverCallId, logger: log });
  const started = performance.now();
  const t = await transferToBlockBlob(source, blob, {
    blockSizeBytes: config.archiveBlockSizeBytes,
    concurrency: config.archiveTransferConcurrency,
    contentType,
    metadata: labels.metadata,
    // Staged blocks and an existing blob are only reused if they came from this very file.
    sourceId: `${chunk.documentId}/${kind}`,
    // Verified means more than "the blob equals what we received": it is a recording / this chunk's metadata.
    proof: kind === 'content' ? mediaProof(recording.format) : metadataProof(chunk.documentId, chunk.index),
    logger: log.with({ kind }),
  });
  const result: CopiedChunkFile = {
    file: { blobName, contentType, sizeBytes: t.sizeBytes, md5Base64: t.md5Base64 },
    reusedExisting: t.reusedExisting,
    resumes: t.resumes,
  };
  if (!t.reusedExisting) recordFileArchived(kind, t.sizeBytes - t.resumedFromBytes, t.sizeBytes, performance.now() - started);
  // A fresh copy is logged once, by the engine ("Transfer committed and verified", with this file's kind).
  if (t.reusedExisting) log.info('Chunk file already archived and verified; not downloaded again', { kind, blob: blobLogName(blobName), sizeBytes: t.sizeBytes });
  await applyBlobTags(blob, labels.tags, log);
  return result;
}
