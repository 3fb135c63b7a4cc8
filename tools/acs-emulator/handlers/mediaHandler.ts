// Recording storage (AMS) objects: download content/metadata with ranges, delete a document (reference §3.4, §3.8).
import { Readable } from 'node:stream';
import { AmsErrors } from '../errors/acsErrors.js';
import type { DeterministicMedia } from '../media/deterministicMedia.js';
import { parseRangeHeader } from '../media/parseRangeHeader.js';
import type { EmulatorResponse } from '../pipeline/EmulatorResponse.js';
import type { RequestContext } from '../pipeline/RequestContext.js';
import type { DocumentEntry, RecordingStore } from '../store/RecordingStore.js';

/** Headers the storage front end sends on downloads (observed, §3.4). */
const DOWNLOAD_HEADERS = {
  'content-type': 'application/octet-stream',
  'cache-control': 'no-cache, max-age=0, s-maxage=0, private',
  'accept-ranges': 'bytes',
} as const;

/** The bytes of one file of a document, [start, end] inclusive. Shared with the programmatic `openFile`. */
export function openDocumentFile(media: DeterministicMedia, doc: DocumentEntry, kind: 'content' | 'metadata', start: number, end: number): Readable {
  if (kind === 'metadata') return Readable.from(end < start ? [] : [doc.metadataBytes.subarray(start, end + 1)]);
  return media.open(doc.chunk.documentId, doc.chunk.sizeBytes, start, end, doc.format);
}

export function fileSize(doc: DocumentEntry, kind: 'content' | 'metadata'): number {
  return kind === 'metadata' ? doc.metadataBytes.length : doc.chunk.sizeBytes;
}

export class MediaHandler {
  constructor(
    private readonly store: RecordingStore,
    private readonly media: DeterministicMedia,
  ) {}

  handle(ctx: RequestContext): EmulatorResponse {
    const doc = this.store.document(ctx.route.documentId ?? '');
    // Deleted documents are gone for good: every later GET or DELETE is a 404 (§3.8).
    if (!doc || doc.chunk.deleted) throw AmsErrors.notFound();
    if (ctx.route.operation === 'deleteRecording') {
      doc.chunk.deleted = true;
      // The SDK accepts only 200 for delete (§3.4).
      return { status: 200, headers: { 'content-length': 0 } };
    }
    const kind = ctx.route.operation === 'downloadMetadata' ? 'metadata' : 'content';
    if (kind === 'content' && ctx.route.contentKind !== doc.contentKind) throw AmsErrors.notFound();
    return this.download(ctx, doc, kind);
  }

  private download(ctx: RequestContext, doc: DocumentEntry, kind: 'content' | 'metadata'): EmulatorResponse {
    const size = fileSize(doc, kind);
    const decision = parseRangeHeader(ctx.headers.range, size);
    if (decision.kind === 'unsatisfiable') throw AmsErrors.rangeNotSatisfiable(size);
    if (decision.kind === 'full') {
      return { status: 200, headers: { ...DOWNLOAD_HEADERS, 'content-length': size }, body: openDocumentFile(this.media, doc, kind, 0, size - 1) };
    }
    const { start, end } = decision;
    return {
      status: 206,
      headers: { ...DOWNLOAD_HEADERS, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${size}` },
      body: openDocumentFile(this.media, doc, kind, start, end),
    };
  }
}
