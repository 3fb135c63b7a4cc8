// The Durable instance id of a recording's archive. Event Grid delivers at least once and in any order, so every
// delivery of the same announcement must land on the same instance: the id is a pure function of the recording id
// and the set of chunk document ids (sorted, so chunk order in the payload does not matter).
//
// Why the chunk set is part of it: if ACS ever announced the same recording twice with different chunks, keying on
// the recording alone would silently drop the second set. With the set in the id, a different set gets its own
// instance; archiving is idempotent per chunk and the manifest merges per document id, so overlaps are harmless.
import { createHash } from 'node:crypto';

export const ARCHIVE_INSTANCE_ID_PREFIX = 'archive-';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * `archive-<base64url(sha256(recordingId))>-<first 16 chars of base64url(sha256(sorted documentIds))>`.
 * Instance ids may not contain `/ \ # ?` (recording ids are base64 and may), hence the hash; base64url keeps it to
 * `A-Z a-z 0-9 - _` and 68 characters, well under the 256 limit.
 */
export function archiveInstanceId(recordingId: string, documentIds: readonly string[]): string {
  const chunks = sha256([...documentIds].sort().join('\n')).toString('base64url').slice(0, 16);
  return `${archiveInstanceIdPrefix(recordingId)}${chunks}`;
}

/** The part every archive instance (and plan) id of one recording starts with, whatever its chunk set. */
export function archiveInstanceIdPrefix(recordingId: string): string {
  return `${ARCHIVE_INSTANCE_ID_PREFIX}${sha256(recordingId).toString('base64url')}-`;
}
