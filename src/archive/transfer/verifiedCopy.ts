// "This blob is a verified archive copy" — decided here and nowhere else: by the engine (reuse an existing copy, check
// its own commit, settle a lost commit race), by the manifest's read-back of a chunk, and by the re-check right
// before a source is deleted at ACS.
//
// A verified copy carries the engine's completion marker (blob metadata `archivesize`, `archivemd5`, …), written
// atomically with the commit, so it was committed by this engine after every block was staged and checked; and the
// marker agrees with the blob's own length and Content-MD5. A caller that knows more asks for that too: the size and
// MD5 it verified earlier (the delete), the labels it wrote (the manifest: this document's file of this kind).
import type { BlobClient } from '@azure/storage-blob';
import { statusCodeOf } from '../../shared/errors.js';

/** Metadata keys of the completion marker (Azure stores metadata names lower-case). */
export const ARCHIVE_METADATA = {
  sizeBytes: 'archivesize',
  md5Base64: 'archivemd5',
  blockSize: 'archiveblocksize',
  sourceTag: 'archivesourcetag',
} as const;

export interface ArchiveCompletion {
  sizeBytes: number;
  md5Base64: string;
  blockSize?: number;
  /** Hex of the 8-byte source tag, when the transfer was given a `sourceId`. */
  sourceTag?: string;
}

/** The metadata to commit: the caller's, plus the completion marker (which wins over same-named caller keys). */
export function completionMetadata(c: ArchiveCompletion, callerMetadata: Record<string, string> = {}): Record<string, string> {
  const own: Record<string, string> = {
    [ARCHIVE_METADATA.sizeBytes]: String(c.sizeBytes),
    [ARCHIVE_METADATA.md5Base64]: c.md5Base64,
  };
  if (c.blockSize !== undefined) own[ARCHIVE_METADATA.blockSize] = String(c.blockSize);
  if (c.sourceTag !== undefined) own[ARCHIVE_METADATA.sourceTag] = c.sourceTag;
  const caller = Object.fromEntries(Object.entries(callerMetadata).filter(([k]) => !Object.values(ARCHIVE_METADATA).includes(k.toLowerCase() as never)));
  return { ...caller, ...own };
}

/** The completion marker in `metadata`, if present and well-formed. */
function readCompletion(metadata: Record<string, string> | undefined): ArchiveCompletion | undefined {
  const size = Number(metadata?.[ARCHIVE_METADATA.sizeBytes]);
  const md5Base64 = metadata?.[ARCHIVE_METADATA.md5Base64];
  if (!Number.isSafeInteger(size) || size < 0 || !md5Base64) return undefined;
  const blockSize = Number(metadata?.[ARCHIVE_METADATA.blockSize]);
  return {
    sizeBytes: size,
    md5Base64,
    blockSize: Number.isSafeInteger(blockSize) && blockSize > 0 ? blockSize : undefined,
    sourceTag: metadata?.[ARCHIVE_METADATA.sourceTag],
  };
}

/** The blob properties the decision reads (what `getProperties` returns). */
export interface StoredBlobProperties {
  etag?: string;
  metadata?: Record<string, string>;
  contentLength?: number;
  contentMD5?: Uint8Array;
}

/** What the caller knows the copy must be, beyond carrying a consistent completion marker. */
export interface ExpectedCopy {
  /** The size and MD5 verified earlier. */
  sizeBytes?: number;
  md5Base64?: string;
  /** Labels the copy must carry (metadata values, e.g. `{ documentid, kind }`). */
  metadata?: Record<string, string>;
}

/** Why a blob is not a verified copy: its size or MD5 is not the expected one, it has no (consistent) marker, or it is labelled as another file. */
export type NotVerifiedCode = 'SizeMismatch' | 'Md5Mismatch' | 'NoCompletionMarker' | 'OtherFile';

export type BlobCopy =
  | { kind: 'absent' }
  | { kind: 'incomplete'; etag: string; code: NotVerifiedCode; reason: string }
  | { kind: 'complete'; etag: string; sizeBytes: number; md5Base64: string; sourceTag?: string };

/** The decision, from the blob's properties (pure). */
export function verifiedCopyOf(props: StoredBlobProperties, expected: ExpectedCopy = {}): Exclude<BlobCopy, { kind: 'absent' }> {
  const etag = props.etag ?? '';
  const md5 = props.contentMD5 ? Buffer.from(props.contentMD5).toString('base64') : undefined;
  const notVerified = (code: NotVerifiedCode, reason: string) => ({ kind: 'incomplete' as const, etag, code, reason });
  const sizeWrong = expected.sizeBytes !== undefined && props.contentLength !== expected.sizeBytes;
  const md5Wrong = expected.md5Base64 !== undefined && md5 !== expected.md5Base64;
  if (sizeWrong || md5Wrong) {
    const reason = `is ${props.contentLength ?? '?'} bytes / MD5 ${md5 ?? 'none'}, expected ${expected.sizeBytes ?? '?'} bytes / MD5 ${expected.md5Base64 ?? '?'}`;
    return notVerified(sizeWrong ? 'SizeMismatch' : 'Md5Mismatch', reason);
  }
  const completion = readCompletion(props.metadata);
  if (!completion || completion.sizeBytes !== props.contentLength || completion.md5Base64 !== md5) {
    return notVerified('NoCompletionMarker', 'carries no completion marker agreeing with its length and Content-MD5');
  }
  for (const [key, value] of Object.entries(expected.metadata ?? {})) {
    if (props.metadata?.[key] !== value) return notVerified('OtherFile', `is labelled ${key}=${props.metadata?.[key] ?? 'none'}, not ${value}`);
  }
  return { kind: 'complete', etag, sizeBytes: completion.sizeBytes, md5Base64: completion.md5Base64, sourceTag: completion.sourceTag };
}

/** Reads the blob's properties and decides: `absent` (404), `incomplete` (not a verified copy, and why) or `complete`. */
export async function inspectBlob(blob: BlobClient, expected?: ExpectedCopy, abortSignal?: AbortSignal): Promise<BlobCopy> {
  let props;
  try {
    props = await blob.getProperties({ abortSignal });
  } catch (e) {
    if (statusCodeOf(e) === 404) return { kind: 'absent' };
    throw e;
  }
  return verifiedCopyOf(props, expected);
}
