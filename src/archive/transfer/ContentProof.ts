// The seam through which the caller proves that the bytes a source serves are the file they claim to be (a recording
// of the expected format, the metadata document of this chunk), before the copy can count as verified. Size and MD5
// prove only "the blob equals what we received"; a proxy's block page or an empty 200 passes those. The engine calls
// the proof on what it already reads (response heads, blocks in file order): no extra request to the source.

/** The head of one source response, as the proof sees it. */
export interface ProofResponseHead {
  contentType?: string;
  /** The source's total size (known once the first response is accepted). */
  totalSize: number;
}

/** One copy's run of a proof: sees every block once, in file order, before it is hashed and staged. */
export interface ContentProofRun {
  /** Throws a `ContentProofError` to refuse the copy. `last` is true for the file's last block. */
  checkBlock(index: number, data: Buffer, last: boolean): void;
}

export interface ContentProof {
  /**
   * Names the proof (and its version) in the block IDs: blocks staged by a call that did not run this proof — an
   * older version, or another expected format — are never continued, so a resumed copy is proven too.
   */
  readonly tag: string;
  /** The proof needs every byte of the file (a staged prefix that is not the whole file is then not continued). */
  readonly wholeFile: boolean;
  /** Checks every response's head before any of its bytes is used. */
  checkResponse(head: ProofResponseHead): void;
  /** A fresh run for one copy. */
  start(): ContentProofRun;
  /** How many leading bytes of an already archived blob {@link checkStored} needs (its whole size, at most). */
  storedBytesNeeded(sizeBytes: number): number;
  /** Checks an already archived blob from its leading bytes (so a blob archived before this proof existed is too). */
  checkStored(head: Buffer, sizeBytes: number): void;
}

/** Textual media types: `text/*`, `*\/json`, `*\/*+json`, `*\/xml`, `*\/*+xml`, `*\/html`. Parameters are ignored. */
export function isTextualContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const slash = type.indexOf('/');
  if (slash < 0) return false;
  const [top, sub] = [type.slice(0, slash), type.slice(slash + 1)];
  return top === 'text' || sub === 'json' || sub.endsWith('+json') || sub === 'xml' || sub.endsWith('+xml') || sub === 'html';
}
