// Typed failures of the transfer engine. Both are permanent: retrying the same call cannot fix them.

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
