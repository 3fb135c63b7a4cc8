// Binds a chunk's URLs to the chunk: every contentLocation, metadataLocation and deleteLocation ACS publishes names
// the chunk's documentId as a path segment (`…/v1/objects/{documentId}…`). A URL that does not may point at another
// recording's object — downloading it would archive the wrong file, deleting it would destroy a recording that was
// never archived.

/** Whether `url`'s path has a segment (percent-decoded) equal to `documentId`. */
export function locationNamesDocument(url: string, documentId: string): boolean {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return false;
  }
  return pathname.split('/').some((segment) => {
    try {
      return decodeURIComponent(segment) === documentId;
    } catch {
      return false;
    }
  });
}

/** A chunk URL that does not name the chunk's documentId: it is never called. */
export class ChunkLocationMismatchError extends Error {
  override readonly name = 'ChunkLocationMismatchError';
  constructor(
    readonly field: 'contentLocation' | 'metadataLocation' | 'deleteLocation',
    readonly documentId: string,
  ) {
    super(`${field} does not name the chunk's documentId ${documentId} as a path segment; not called`);
  }
}

/** Throws {@link ChunkLocationMismatchError} unless `url` names `documentId`. */
export function assertLocationNamesDocument(url: string, documentId: string, field: ChunkLocationMismatchError['field']): void {
  if (!locationNamesDocument(url, documentId)) throw new ChunkLocationMismatchError(field, documentId);
}
