// What the archive holds for one chunk, read back from storage for the manifest: each file's blob if it is a
// verified copy (size + MD5 from the blob itself), and the participants/timing summary parsed from the archived
// metadata document (not from ACS, and not carried through Durable).
import type { BlockBlobClient } from '@azure/storage-blob';
import { ensureError } from '../shared/errors.js';
import type { Logger } from '../shared/logging.js';
import type { ArchiveFileKind, ArchivedFile, RecordingMetadataSummary } from './archiveModels.js';
import type { ArchivePlan, ChunkRef } from './archivePlan.js';
import { archiveContainerClient } from './archiveContainerClient.js';
import { chunkBlobName, chunkFileContentType } from './blobLayout.js';
import { MAX_METADATA_SUMMARY_BYTES, parseRecordingMetadata } from './parseRecordingMetadata.js';
import { inspectBlob } from './transfer/verifiedCopy.js';

export interface ArchivedChunk {
  media?: ArchivedFile;
  metadata?: ArchivedFile;
  summary?: RecordingMetadataSummary;
}

/** Reads one chunk's archived files. Storage failures are thrown (transient). */
export async function readArchivedChunk(plan: ArchivePlan, chunk: ChunkRef, log: Logger): Promise<ArchivedChunk> {
  const container = archiveContainerClient.get();
  const verified = async (kind: ArchiveFileKind): Promise<[BlockBlobClient, ArchivedFile | undefined]> => {
    const blobName = chunkBlobName(plan.blobPrefix, chunk, kind, plan.recording.format);
    const blob = container.getBlockBlobClient(blobName);
    // A verified copy of this very file: our labels name the chunk's document and the file kind.
    const found = await inspectBlob(blob, { metadata: { documentid: chunk.documentId, kind } });
    if (found.kind !== 'complete') return [blob, undefined];
    return [blob, { blobName, sizeBytes: found.sizeBytes, md5Base64: found.md5Base64, contentType: chunkFileContentType(kind, plan.recording.format) }];
  };
  const [[, media], [metadataBlob, metadata]] = await Promise.all([verified('content'), verified('metadata')]);
  const out: ArchivedChunk = {};
  if (media) out.media = media;
  if (metadata) {
    out.metadata = metadata;
    const summary = await summarize(metadataBlob, metadata.sizeBytes, log);
    if (summary) out.summary = summary;
  }
  return out;
}

/** The participants/timing summary of the archived metadata document, or undefined when it is too big or unparsable. */
async function summarize(blob: BlockBlobClient, sizeBytes: number, log: Logger): Promise<RecordingMetadataSummary | undefined> {
  if (sizeBytes > MAX_METADATA_SUMMARY_BYTES) return undefined;
  // The size is known from the verified properties: reading exactly that range spares downloadToBuffer's own HEAD.
  const bytes = await blob.downloadToBuffer(0, sizeBytes);
  try {
    return parseRecordingMetadata(bytes);
  } catch (e) {
    // The document is archived and verified regardless; the manifest just lacks its summary.
    log.warn('Recording metadata document could not be summarized', { error: ensureError(e).message, blobName: blob.name });
    return undefined;
  }
}
