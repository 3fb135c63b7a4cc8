// "Is this chunk file already in the archive?" — answered from the blob's own properties, without contacting ACS.
// A verified copy carries the transfer engine's completion marker (written atomically with the commit) agreeing
// with the blob's length and Content-MD5, plus our labels naming the same document and file kind.
import type { BlockBlobClient } from '@azure/storage-blob';
import type { ArchiveFileKind } from './archiveModels.js';
import { verifiedCompletion } from './transfer/archiveMetadata.js';
import { statusCodeOf } from '../shared/errors.js';

export interface VerifiedArchive {
  sizeBytes: number;
  md5Base64: string;
}

/** The archived blob's size and MD5 if it is a committed, verified copy of this document's file; else undefined. */
export async function findVerifiedArchive(blob: BlockBlobClient, expected: { documentId: string; kind: ArchiveFileKind }): Promise<VerifiedArchive | undefined> {
  let props;
  try {
    props = await blob.getProperties();
  } catch (e) {
    if (statusCodeOf(e) === 404) return undefined;
    throw e;
  }
  const md = props.metadata ?? {};
  if (md.documentid !== expected.documentId || md.kind !== expected.kind) return undefined;
  const completion = verifiedCompletion(props);
  if (!completion) return undefined;
  return { sizeBytes: completion.sizeBytes, md5Base64: completion.md5Base64 };
}
