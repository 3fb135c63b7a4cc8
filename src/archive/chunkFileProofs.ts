// What makes a chunk's downloaded file count as that file (docs/archive.md, "What verified means"):
// - the media is a recording: not a textual Content-Type, not empty, and it starts with the container signature of
//   the recording's format;
// - the metadata is this chunk's document: a JSON object whose `chunkDocumentId` and `chunkIndex`, where present,
//   are the chunk's.
// A file that fails is refused with a ContentProofError (NotARecording / MetadataMismatch): nothing is committed and
// the source is kept.
import type { RecordingFormat } from '../acs/models.js';
import { MAX_METADATA_SUMMARY_BYTES } from './parseRecordingMetadata.js';
import { CONTAINER_SIGNATURE_BYTES, describeHead, hasContainerSignature } from './recordingContainer.js';
import { isTextualContentType, type ContentProof, type ContentProofRun } from './transfer/ContentProof.js';
import { ContentProofError } from './transfer/errors.js';

/** Bumped when a proof changes, so blocks staged under the older proof are not continued. */
const PROOF_VERSION = 1;

/** The media file of a chunk is a `format` recording (any format ACS records when the event did not say). */
export function mediaProof(format: RecordingFormat | undefined): ContentProof {
  const formatName = format ?? 'wav, mp3 or mp4';
  const checkHead = (head: Buffer) => {
    if (!hasContainerSignature(head, format)) {
      throw new ContentProofError('NotARecording', `The media does not start like a ${formatName} file (first bytes ${describeHead(head)})`);
    }
  };
  return {
    tag: `proof${PROOF_VERSION}:media:${format ?? 'any'}`,
    wholeFile: false,
    checkResponse({ contentType, totalSize }) {
      if (isTextualContentType(contentType)) {
        throw new ContentProofError('NotARecording', `The media response has the textual Content-Type ${contentType}: not a recording`);
      }
      if (totalSize === 0) throw new ContentProofError('NotARecording', 'The media response is empty: not a recording');
    },
    start: (): ContentProofRun => ({
      checkBlock(index, data) {
        // Block 0 holds at least 64 bytes (or the whole, shorter file): the signature is all in it.
        if (index === 0) checkHead(data.subarray(0, CONTAINER_SIGNATURE_BYTES));
      },
    }),
    storedBytesNeeded: (sizeBytes) => Math.min(sizeBytes, CONTAINER_SIGNATURE_BYTES),
    checkStored(head, sizeBytes) {
      if (sizeBytes === 0) throw new ContentProofError('NotARecording', 'The archived media is empty: not a recording');
      checkHead(head);
    },
  };
}

/** The metadata document of a chunk is that chunk's: a JSON object naming `documentId` and `index` where it names any. */
export function metadataProof(documentId: string, index: number): ContentProof {
  const checkDocument = (bytes: Buffer) => {
    if (bytes.length === 0) throw new ContentProofError('MetadataMismatch', 'The metadata document is empty');
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new ContentProofError('MetadataMismatch', `The metadata document is not JSON (first bytes ${describeHead(bytes)})`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new ContentProofError('MetadataMismatch', 'The metadata document is not a JSON object');
    }
    const { chunkDocumentId, chunkIndex } = json as { chunkDocumentId?: unknown; chunkIndex?: unknown };
    if (chunkDocumentId !== undefined && chunkDocumentId !== documentId) {
      throw new ContentProofError('MetadataMismatch', `The metadata document is of chunk ${JSON.stringify(chunkDocumentId).slice(0, 64)}, not ${documentId}`);
    }
    if (chunkIndex !== undefined && chunkIndex !== index) {
      throw new ContentProofError('MetadataMismatch', `The metadata document is of chunk index ${JSON.stringify(chunkIndex).slice(0, 16)}, not ${index}`);
    }
  };
  const checkSize = (sizeBytes: number) => {
    if (sizeBytes === 0) throw new ContentProofError('MetadataMismatch', 'The metadata document is empty');
    if (sizeBytes > MAX_METADATA_SUMMARY_BYTES) {
      throw new ContentProofError('MetadataMismatch', `The metadata document has ${sizeBytes} bytes, more than a metadata document ever has`);
    }
  };
  return {
    tag: `proof${PROOF_VERSION}:metadata:${documentId}:${index}`,
    wholeFile: true,
    checkResponse: ({ totalSize }) => checkSize(totalSize),
    start(): ContentProofRun {
      // The document is small (bounded above): its blocks are kept until the last one, which is checked (with the
      // whole document) before it is staged, so a complete staged copy is always a proven one.
      const parts: Buffer[] = [];
      return {
        checkBlock(_index, data, last) {
          parts.push(Buffer.from(data));
          if (last) checkDocument(Buffer.concat(parts));
        },
      };
    },
    storedBytesNeeded: (sizeBytes) => Math.min(sizeBytes, MAX_METADATA_SUMMARY_BYTES + 1),
    checkStored(bytes, sizeBytes) {
      checkSize(sizeBytes);
      checkDocument(bytes);
    },
  };
}
