// Typed failures of the transfer engine. Verification and conflict errors are permanent (retrying the same call
// cannot fix them); a content proof error is not (whatever served the wrong bytes may stop).

/** Why a copy could not be verified. */
export type TransferVerificationCode =
  | 'SizeUnknown'
  | 'SizeMismatch'
  | 'ShortSource'
  | 'OffsetMismatch'
  | 'SourceChanged'
  | 'Md5Mismatch'
  | 'TooManyBlocks';

/** Thrown when the copy cannot be verified (size mismatch, MD5 mismatch, source changed). Nothing is committed. */
export class TransferVerificationError extends Error {
  override readonly name = 'TransferVerificationError';
  constructor(
    readonly code: TransferVerificationCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

export function isTransferVerificationError(e: unknown): e is TransferVerificationError {
  return e instanceof TransferVerificationError || (e instanceof Error && e.name === 'TransferVerificationError');
}

/**
 * Thrown when the destination already holds a verified archive of a different source, or another writer committed
 * different content while this call ran. The existing blob is left untouched: an archive is never overwritten.
 */
export class TransferConflictError extends Error {
  override readonly name = 'TransferConflictError';
}

export function isTransferConflictError(e: unknown): e is TransferConflictError {
  return e instanceof TransferConflictError || (e instanceof Error && e.name === 'TransferConflictError');
}

/** Why the bytes served are not the file they claim to be. */
export type ContentProofCode =
  /** The media response is not a recording: textual Content-Type, empty body, or the wrong container signature. */
  | 'NotARecording'
  /** The metadata response is not this chunk's metadata document: empty, not a JSON object, or another chunk's. */
  | 'MetadataMismatch';

/**
 * Thrown when the source answered, but not with the file: a proxy's block page, a JSON error body with status 200,
 * an empty 200, bytes of another format or another chunk's metadata. Nothing is committed and the source is kept.
 * Unlike a {@link TransferVerificationError} this is TRANSIENT for the archive: whatever meddled may stop, so the
 * activity is retried; within one call it is not resumed (the same response would come back).
 */
export class ContentProofError extends Error {
  override readonly name = 'ContentProofError';
  constructor(
    readonly code: ContentProofCode,
    message: string,
  ) {
    super(message);
  }
}

export function isContentProofError(e: unknown): e is ContentProofError {
  return e instanceof ContentProofError || (e instanceof Error && e.name === 'ContentProofError');
}
