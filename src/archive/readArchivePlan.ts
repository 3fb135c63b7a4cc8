// Activities read the archive plan by id. A plan is immutable once written (create-only), so it is cached per
// process: a worker running many chunks of one recording downloads it once, not once per chunk. A re-drive finds a
// recording's plans by the recording's prefix of the plan id.
import type { ContainerClient } from '@azure/storage-blob';
import type { ArchivePlan } from './archiveModels.js';
import { ArchivePlanError } from './archiveErrors.js';
import { ARCHIVE_PLAN_FOLDER, archivePlanBlobName, parseArchivePlan } from './archivePlan.js';
import { archiveInstanceIdPrefix } from './archiveInstanceId.js';
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

/**
 * Ids of the plans stored for a recording, newest first: a plan's id starts with the recording's part of the
 * instance id, so one prefix listing finds them (more than one only if ACS announced different chunk sets).
 */
export async function findArchivePlanIds(recordingId: string, container: ContainerClient = archiveContainerClient.get()): Promise<string[]> {
  const prefix = archivePlanBlobName(archiveInstanceIdPrefix(recordingId)).replace(/\.json$/, '');
  const found: { planId: string; modified: number }[] = [];
  try {
    for await (const b of container.listBlobsFlat({ prefix })) {
      if (!b.name.endsWith('.json')) continue;
      found.push({ planId: b.name.slice(ARCHIVE_PLAN_FOLDER.length, -'.json'.length), modified: b.properties.lastModified?.getTime() ?? 0 });
    }
  } catch (e) {
    if (statusCodeOf(e) !== 404) throw e; // no archive container yet: no plans
  }
  return found.sort((a, b) => b.modified - a.modified || a.planId.localeCompare(b.planId)).map((f) => f.planId);
}
