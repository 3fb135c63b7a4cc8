// Blob metadata and index tags that make every archived blob findable by recording, call, chunk and document,
// without reading the manifest: metadata for whoever holds the blob, tags for `findBlobsByTags` across the account.
import type { RecordingRef } from './archivePlan.js';

/** `plan`: the archive plan in `_plans/` (see archivePlan.ts). */
export type BlobKind = 'content' | 'metadata' | 'manifest' | 'plan';

export interface BlobLabelSource {
  recording: Pick<RecordingRef, 'recordingId' | 'serverCallId' | 'callId'>;
  kind: BlobKind;
  chunkIndex?: number;
  documentId?: string;
}

export interface BlobLabels {
  /** Metadata names must be C# identifiers; lower-case because the service may return them lower-cased. */
  metadata: Record<string, string>;
  tags: Record<string, string>;
}

// Index tag values: at most 256 characters of A-Z a-z 0-9 space + - . / : = _ (Blob index tags documentation).
const TAG_VALUE = /^[A-Za-z0-9 +\-./:=_]{0,256}$/;
// Metadata values travel as HTTP header values: printable ASCII, and the whole set must stay under 8 KiB.
const METADATA_VALUE = /^[\x20-\x7E]{0,2048}$/;

/**
 * Labels for one archived blob. Values that a label cannot carry (a tag over 256 characters, non-ASCII metadata)
 * are left out rather than mangled; the manifest always has the full values.
 */
export function blobLabels(src: BlobLabelSource): BlobLabels {
  const values: [string, string | undefined][] = [
    ['recordingId', src.recording.recordingId],
    ['serverCallId', src.recording.serverCallId],
    ['callId', src.recording.callId],
    ['kind', src.kind],
    ['chunkIndex', src.chunkIndex === undefined ? undefined : String(src.chunkIndex)],
    ['documentId', src.documentId],
  ];
  const metadata: Record<string, string> = {};
  const tags: Record<string, string> = {};
  for (const [name, value] of values) {
    if (value === undefined) continue;
    if (METADATA_VALUE.test(value)) metadata[name.toLowerCase()] = value;
    if (TAG_VALUE.test(value)) tags[name] = value;
  }
  return { metadata, tags };
}
