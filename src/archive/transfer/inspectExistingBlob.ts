// What is already at the destination: nothing, a verified archive (reuse it), or something else (replace it).
import type { BlockBlobClient } from '@azure/storage-blob';
import { verifiedCompletion } from './archiveMetadata.js';
import { statusCodeOf } from '../../shared/errors.js';

export type ExistingBlob =
  | { kind: 'absent' }
  /** A blob that is not a verified archive copy (no or inconsistent completion marker). */
  | { kind: 'incomplete'; etag: string }
  | { kind: 'complete'; etag: string; sizeBytes: number; md5Base64: string; sourceTag?: string };

/**
 * Complete means: committed, with completion metadata whose size equals the blob's length and whose MD5 equals the
 * blob's Content-MD5. Anything less is not trusted as an archive.
 */
export async function inspectExistingBlob(blob: BlockBlobClient, abortSignal?: AbortSignal): Promise<ExistingBlob> {
  let props;
  try {
    props = await blob.getProperties({ abortSignal });
  } catch (e) {
    if (statusCodeOf(e) === 404) return { kind: 'absent' };
    throw e;
  }
  const etag = props.etag ?? '';
  const completion = verifiedCompletion(props);
  if (!completion) return { kind: 'incomplete', etag };
  return { kind: 'complete', etag, sizeBytes: completion.sizeBytes, md5Base64: completion.md5Base64, sourceTag: completion.sourceTag };
}
