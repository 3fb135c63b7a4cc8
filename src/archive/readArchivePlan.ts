// Activities read the archive plan by id. A plan is immutable once written (create-only), so it is cached per
// process: a worker running many chunks of one recording downloads it once, not once per chunk.
import type { ContainerClient } from '@azure/storage-blob';
import type { ArchivePlan } from './archiveModels.js';
import { ArchivePlanError } from './archiveErrors.js';
import { archivePlanBlobName, parseArchivePlan } from './archivePlan.js';
import { archiveContainerClient } from './archiveContainerClient.js';
import { statusCodeOf } from '../shared/errors.js';

/** Plans kept in memory per process (a 500-chunk plan is ~250 KB). */
export const PLAN_CACHE_SIZE = 16;

const cache = new Map<string, Promise<ArchivePlan>>();

/**
 * The plan `planId` from the archive container, validated. A missing or invalid plan is an {@link ArchivePlanError}
 * (permanent); a storage failure is thrown as is (transient) and not cached.
 */
export function readArchivePlan(planId: string, container: ContainerClient = archiveContainerClient.get()): Promise<ArchivePlan> {
  const key = `${container.url}|${planId}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = download(container, planId);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
    while (cache.size > PLAN_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  return pending;
}

async function download(container: ContainerClient, planId: string): Promise<ArchivePlan> {
  let bytes: Buffer;
  try {
    bytes = await container.getBlobClient(archivePlanBlobName(planId)).downloadToBuffer();
  } catch (e) {
    if (statusCodeOf(e) === 404) throw new ArchivePlanError(planId, `Archive plan ${planId} does not exist`);
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ArchivePlanError(planId, `Archive plan ${planId} is not JSON`);
  }
  return parseArchivePlan(json, planId);
}
