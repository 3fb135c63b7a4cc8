// The blob metadata that marks a blob as a complete, verified archive copy. It is written atomically with the
// commit, so a blob that carries it was committed by this engine after every block was staged and checked.

/** Metadata keys (Azure stores metadata names lower-case). */
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
export function readCompletion(metadata: Record<string, string> | undefined): ArchiveCompletion | undefined {
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

/** The blob properties a completion marker is checked against. */
export interface StoredBlobProperties {
  metadata?: Record<string, string>;
  contentLength?: number;
  contentMD5?: Uint8Array;
}

/**
 * The completion marker, if the blob is a verified archive copy: the marker is present and agrees with the blob's
 * own length and Content-MD5. Anything less is not trusted as an archive.
 */
export function verifiedCompletion(props: StoredBlobProperties): ArchiveCompletion | undefined {
  const completion = readCompletion(props.metadata);
  const contentMd5 = props.contentMD5 ? Buffer.from(props.contentMD5).toString('base64') : undefined;
  if (!completion || completion.sizeBytes !== props.contentLength || completion.md5Base64 !== contentMd5) return undefined;
  return completion;
}
