// The archive's blob layout: deterministic names derived only from the event, navigable by date and call, with a
// recording's media, metadata documents and manifest side by side.
//
//   {yyyy}/{MM}/{dd}/{callId}/{recordingId*}/manifest.json
//   {yyyy}/{MM}/{dd}/{callId}/{recordingId*}/chunk-0000-{documentId}.{wav|mp3|mp4|bin}
//   {yyyy}/{MM}/{dd}/{callId}/{recordingId*}/chunk-0000-{documentId}.metadata.json
//
// The date is the recording's start (UTC) from the event, falling back to the event time. `*` = made path-safe and
// lossless (safeSegment): base64 ids become base64url (so their '/' and '+' cannot create folders or need escaping);
// two ids never share a folder.
import { createHash } from 'node:crypto';
import type { RecordingFormat } from '../acs/models.js';
import type { ArchiveFileKind } from './archiveModels.js';
import type { RecordingRef } from './archivePlan.js';

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

/** Which ids a segment is named for keep their readable, unmarked form when two forms could meet. */
export type SegmentKind =
  /** Base64 ids (recording ids): padded base64 becomes base64url without padding. */
  | 'base64'
  /** Plain ids (call ids: GUIDs; document ids): kept as they are. */
  | 'plain';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const PLAIN = /^[A-Za-z0-9._-]+$/;
/** What padded base64 turns into: base64url without padding (never a length of 4n+1). */
const BASE64URL_FORM = /^[A-Za-z0-9_-]+$/;

const toBase64Url = (value: string) => value.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Base64 with exactly the padding its length needs: stripping that padding loses nothing. */
function isPaddedBase64(value: string): boolean {
  return BASE64.test(value) && value.length % 4 === 0;
}

/**
 * One path segment that is safe in a blob name, deterministic and lossless: two different ids never share a
 * segment (up to SHA-256 collisions). The readable forms of today's layout are kept wherever they cannot meet:
 * - `base64`: padded base64 → base64url without padding (`ab+c` → `ab-c`, `abc=` → `abc`); a plain id that could be
 *   such a result (`ab-c`, `abc`) is marked instead;
 * - `plain`: an id of `A-Z a-z 0-9 . _ -` stays as it is (GUIDs, document ids); a base64 id with `+ / =` is marked;
 * - anything else: unsafe characters become `_`, followed by `-` and a short hash (as before).
 * A marked segment is the readable form plus `~` and a short hash: `~` appears in no other form, so marked and
 * unmarked segments never meet. A segment longer than 200 characters is cut and ends in `-` and a short hash.
 */
export function safeSegment(value: string, kind: SegmentKind = 'plain'): string {
  let s: string;
  let marked = false;
  const dotEnds = /^\.|\.$/.test(value);
  if (kind === 'base64' && isPaddedBase64(value)) {
    s = toBase64Url(value);
  } else if (PLAIN.test(value) && !dotEnds) {
    s = value;
    // Only an unmarked base64 result could look the same: a plain id in that form is marked in a base64 segment.
    marked = kind === 'base64' && BASE64URL_FORM.test(value) && value.length % 4 !== 1;
  } else if (BASE64.test(value)) {
    // Base64 that is not kept readable as is: wrongly padded in a base64 segment, any `+ / =` in a plain segment.
    s = toBase64Url(value);
    marked = true;
  } else if (PLAIN.test(value)) {
    // Leading or trailing dots (blob names may not end with '.', a leading one hides the folder): replaced, marked.
    s = value.replace(/^\.+/, '_').replace(/\.+$/, '_');
    marked = true;
  } else {
    s = `${value.replace(/[^A-Za-z0-9._-]/g, '_')}-${shortHash(value)}`.replace(/^\.+/, '_');
  }
  if (marked) s = `${s.slice(0, MAX_SEGMENT - 17)}~${shortHash(value)}`;
  if (s.length > MAX_SEGMENT) s = `${s.slice(0, MAX_SEGMENT - 17)}-${shortHash(value)}`;
  return s || '_';
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
  return `${yyyy}/${mm}/${dd}/${safeSegment(recording.callId, 'plain')}/${safeSegment(recording.recordingId, 'base64')}/`;
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

/**
 * A blob's name as log lines carry it: the file name inside its recording folder. The folder repeats the call and
 * recording ids, which the line already carries once (serverCallId, recordingId).
 */
export function blobLogName(blobName: string): string {
  return blobName.slice(blobName.lastIndexOf('/') + 1);
}
