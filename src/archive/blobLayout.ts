// The archive's blob layout: deterministic names derived only from the event, navigable by date and call, with a
// recording's media, metadata documents and manifest side by side.
//
//   {yyyy}/{MM}/{dd}/{callId}/{recordingId*}/manifest.json
//   {yyyy}/{MM}/{dd}/{callId}/{recordingId*}/chunk-0000-{documentId}.{wav|mp3|mp4|bin}
//   {yyyy}/{MM}/{dd}/{callId}/{recordingId*}/chunk-0000-{documentId}.metadata.json
//
// The date is the recording's start (UTC) from the event, falling back to the event time. `*` = made path-safe:
// base64 ids become base64url (so their '/' and '+' cannot create folders or need escaping).
import { createHash } from 'node:crypto';
import type { RecordingFormat } from '../config.js';
import type { ArchiveFileKind, RecordingRef } from './archiveModels.js';

/** Content type and extension of the media file, from the event's `recordingFormatType`. */
export function mediaFileType(format: RecordingFormat | undefined): { contentType: string; extension: string } {
  switch (format) {
    case 'wav':
      return { contentType: 'audio/wav', extension: 'wav' };
    case 'mp3':
      return { contentType: 'audio/mpeg', extension: 'mp3' };
    case 'mp4':
      return { contentType: 'video/mp4', extension: 'mp4' };
    default:
      // The event did not say: keep the bytes, claim nothing about them.
      return { contentType: 'application/octet-stream', extension: 'bin' };
  }
}

export const METADATA_CONTENT_TYPE = 'application/json';

/** Content type of one file of a chunk: the media's from the format, the metadata document's is JSON. */
export function chunkFileContentType(kind: ArchiveFileKind, format: RecordingFormat | undefined): string {
  return kind === 'content' ? mediaFileType(format).contentType : METADATA_CONTENT_TYPE;
}
export const MANIFEST_FILE_NAME = 'manifest.json';

const MAX_SEGMENT = 200;

/** One path segment that is safe in a blob name, deterministic and (practically) collision-free. */
export function safeSegment(value: string): string {
  let s: string;
  if (/^[A-Za-z0-9+/=]+$/.test(value)) {
    s = value.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  } else {
    const cleaned = value.replace(/[^A-Za-z0-9._-]/g, '_');
    s = cleaned === value ? value : `${cleaned}-${shortHash(value)}`;
  }
  if (s.length > MAX_SEGMENT) s = `${s.slice(0, MAX_SEGMENT - 17)}-${shortHash(value)}`;
  // Blob names may not end with '.'; a leading '.' would hide the folder in some tools.
  return s.replace(/^\.+/, '_').replace(/\.+$/, '_') || '_';
}

function shortHash(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url').slice(0, 16);
}

/** The folder (ending in `/`) that holds everything of one recording. */
export function recordingBlobPrefix(recording: Pick<RecordingRef, 'recordingId' | 'callId' | 'recordingStartTime'>, eventTime?: string, now: Date = new Date()): string {
  const when = firstValidDate(recording.recordingStartTime, eventTime) ?? now;
  const yyyy = String(when.getUTCFullYear()).padStart(4, '0');
  const mm = String(when.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(when.getUTCDate()).padStart(2, '0');
  return `${yyyy}/${mm}/${dd}/${safeSegment(recording.callId)}/${safeSegment(recording.recordingId)}/`;
}

function firstValidDate(...values: (string | undefined)[]): Date | undefined {
  for (const v of values) {
    if (v === undefined) continue;
    const d = new Date(v);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return undefined;
}

/** Blob name of one file of a chunk. */
export function chunkBlobName(prefix: string, chunk: { index: number; documentId: string }, kind: ArchiveFileKind, format: RecordingFormat | undefined): string {
  const base = `${prefix}chunk-${String(chunk.index).padStart(4, '0')}-${safeSegment(chunk.documentId)}`;
  return kind === 'metadata' ? `${base}.metadata.json` : `${base}.${mediaFileType(format).extension}`;
}

/** Blob name of the recording's manifest. */
export function manifestBlobName(prefix: string): string {
  return `${prefix}${MANIFEST_FILE_NAME}`;
}
