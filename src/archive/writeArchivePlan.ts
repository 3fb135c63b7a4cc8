// The trigger's only storage write: the archive plan, create-only, before the orchestration is started.
// Create-only makes the plan immutable: redeliveries (and a concurrent delivery of the same chunk set) find it there
// and leave it alone, so activities and the manifest can never read two different versions.
import type { ArchivePlan } from './archiveModels.js';
import type { Logger } from '../shared/logging.js';
import { archivePlanBlobName } from './archivePlan.js';
import { archiveContainerClient, ensureArchiveContainer } from './archiveContainerClient.js';
import { blobLabels } from './blobLabels.js';
import { statusCodeOf } from '../shared/errors.js';
import { untilAborted } from '../shared/abort.js';

/** The trigger answers Event Grid within 30 s: the plan write gets at most this long. */
export const DEFAULT_PLAN_WRITE_TIMEOUT_MS = 10_000;

export interface WriteArchivePlanOptions {
  logger: Logger;
  timeoutMs?: number;
}

/** Writes the plan unless it already exists. Resolves `true` if written now. Storage failures are thrown. */
export async function writeArchivePlan(plan: ArchivePlan, { logger, timeoutMs = DEFAULT_PLAN_WRITE_TIMEOUT_MS }: WriteArchivePlanOptions): Promise<boolean> {
  const abortSignal = AbortSignal.timeout(timeoutMs);
  // The container is created once per process; bound that too (the storage client's own tries are far longer).
  await untilAborted(ensureArchiveContainer(), abortSignal, () => new Error(`Writing the archive plan timed out: ${String(abortSignal.reason)}`));
  const name = archivePlanBlobName(plan.planId);
  const blob = archiveContainerClient.get().getBlockBlobClient(name);
  const body = Buffer.from(JSON.stringify(plan), 'utf8');
  try {
    await blob.uploadData(body, {
      abortSignal,
      blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' },
      metadata: blobLabels({ recording: plan.recording, kind: 'plan' }).metadata,
      conditions: { ifNoneMatch: '*' },
    });
  } catch (e) {
    const status = statusCodeOf(e);
    if (status === 409 || status === 412) {
      logger.info('Archive plan already written by an earlier delivery', { blobName: name });
      return false;
    }
    throw e;
  }
  logger.info('Archive plan written', { blobName: name, chunks: plan.chunks.length, sizeBytes: body.length });
  return true;
}
