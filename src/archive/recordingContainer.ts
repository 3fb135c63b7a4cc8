// The container signature of each format ACS records (WAV, MP4, MP3): the few leading bytes every such file starts
// with. It tells a recording from a proxy's HTML page, a JSON error body or bytes of another format.
import type { RecordingFormat } from '../acs/models.js';

/** Leading bytes a signature check needs. */
export const CONTAINER_SIGNATURE_BYTES = 12;

const ascii = (head: Buffer, start: number, text: string) => head.length >= start + text.length && head.toString('latin1', start, start + text.length) === text;

/** WAV: `RIFF` (or `RF64` for files over 4 GiB) at bytes 0–3 and `WAVE` at 8–11. */
function isWav(head: Buffer): boolean {
  return (ascii(head, 0, 'RIFF') || ascii(head, 0, 'RF64')) && ascii(head, 8, 'WAVE');
}

/** MP4 (ISO BMFF): the `ftyp` box type at bytes 4–7. */
function isMp4(head: Buffer): boolean {
  return ascii(head, 4, 'ftyp');
}

/** MP3: an `ID3` tag, or an MPEG audio frame sync (0xFF, then a byte with its top three bits set). */
function isMp3(head: Buffer): boolean {
  return ascii(head, 0, 'ID3') || (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0);
}

const CHECKS: Record<RecordingFormat, (head: Buffer) => boolean> = { wav: isWav, mp4: isMp4, mp3: isMp3 };

/**
 * Whether `head` (the file's first {@link CONTAINER_SIGNATURE_BYTES} bytes, or all of a shorter file) starts like a
 * `format` file. Without a format (an event without `recordingFormatType`), any format ACS records is accepted.
 */
export function hasContainerSignature(head: Buffer, format: RecordingFormat | undefined): boolean {
  return format === undefined ? Object.values(CHECKS).some((check) => check(head)) : CHECKS[format](head);
}

/** The first bytes of `head`, in hex, for an error message (never more than the signature). */
export function describeHead(head: Buffer): string {
  return head.subarray(0, CONTAINER_SIGNATURE_BYTES).toString('hex') || '(empty)';
}
