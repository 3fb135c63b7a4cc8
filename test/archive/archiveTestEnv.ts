// Shared setup of the archive integration tests: the app configured through process.env against the ACS emulator
// (over real HTTP on 127.0.0.1) and the run's Azurite, a unique archive container per test, and helpers to drive the
// REAL registered orchestration through the durable host driver.
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { inject } from 'vitest';
import { getConfig } from '../../src/config.js';
import { parseRecordingFileStatusUpdated } from '../../src/archive/parseRecordingFileStatusUpdated.js';
import { toArchiveRecordingInput } from '../../src/archive/startArchiveOrchestration.js';
import type { ArchiveRecordingInput, ArchiveRecordingOutput } from '../../src/archive/archiveModels.js';
import { ARCHIVE_RECORDING_ORCHESTRATION } from '../../src/archive/archiveFunctionNames.js';
import { writeArchivePlan, type ArchivePlan } from '../../src/archive/archivePlan.js';
import { silentLogger } from '../../src/shared/logging.js';
import type { AcsEmulator } from '../../tools/acs-emulator/index.js';
import { runOrchestration, type DurableHostOptions, type OrchestrationRun } from '../../tools/local/host/durableHost.js';
import { applyEnv } from '../support/env.js';
import '../../src/functions/archiveRecording.js';

/** The settings configureArchiveEnv sets, and `overrides` may change. */
type Setting =
  | 'ACS_CONNECTION_STRING'
  | 'ACS_ENDPOINT'
  | 'AzureWebJobsStorage'
  | 'ARCHIVE_STORAGE'
  | 'ARCHIVE_CONTAINER'
  | 'ACS_MEDIA_ALLOWED_ORIGINS'
  | 'DELETE_SOURCE_AFTER_ARCHIVE'
  | 'ARCHIVE_CHUNK_CONCURRENCY'
  | 'ARCHIVE_BLOCK_SIZE_MIB'
  | 'ACS_MAX_RETRIES'
  | 'ACS_REQUEST_TIMEOUT_MS'
  | 'ARCHIVE_RETRY_HORIZON_HOURS';

export interface ArchiveTestEnv {
  container: ContainerClient;
  restore(): void;
}

let counter = 0;

/** Points the app at `emu` and Azurite with a fresh container; `overrides` set (or, with undefined, unset) settings. */
export function configureArchiveEnv(emu: AcsEmulator, overrides: Partial<Record<Setting, string | undefined>> = {}): ArchiveTestEnv {
  const storage = inject('storageConnectionString');
  const containerName = `archive-${process.pid}-${Date.now().toString(36)}-${++counter}`;
  const restore = applyEnv({
    ACS_CONNECTION_STRING: emu.connectionString,
    ACS_ENDPOINT: undefined,
    AzureWebJobsStorage: storage,
    ARCHIVE_STORAGE: undefined,
    ARCHIVE_CONTAINER: containerName,
    ACS_MEDIA_ALLOWED_ORIGINS: new URL(emu.mediaOrigin).origin,
    DELETE_SOURCE_AFTER_ARCHIVE: undefined,
    ARCHIVE_CHUNK_CONCURRENCY: undefined,
    ARCHIVE_BLOCK_SIZE_MIB: '1',
    ACS_MAX_RETRIES: '1',
    ACS_REQUEST_TIMEOUT_MS: '10000',
    ARCHIVE_RETRY_HORIZON_HOURS: undefined,
    ...overrides,
  });
  return { container: BlobServiceClient.fromConnectionString(storage).getContainerClient(containerName), restore };
}

/** The archive plan and orchestration input the trigger would build for the emulator's event of `recordingId`. */
export function archiveInputFor(
  emu: AcsEmulator,
  recordingId: string,
  editEvent?: (event: object) => void,
  schema: 'EventGrid' | 'CloudEvents' = 'EventGrid',
): { instanceId: string; plan: ArchivePlan; input: ArchiveRecordingInput } {
  const event = emu.buildRecordingFileStatusUpdated(recordingId, schema);
  editEvent?.(event);
  const parsed = parseRecordingFileStatusUpdated(event, getConfig().mediaAllowedOrigins);
  if (parsed.kind !== 'recordingFileStatusUpdated') throw new Error('the emulator built an event of another type');
  return toArchiveRecordingInput(parsed.event, getConfig());
}

/**
 * Writes the archive plan (as the trigger does) and runs the registered `archiveRecording` orchestration for the
 * recording, with the driver's determinism checks.
 */
export async function archiveRecording(
  emu: AcsEmulator,
  recordingId: string,
  options: DurableHostOptions = {},
  editEvent?: (event: object) => void,
): Promise<OrchestrationRun & { output: ArchiveRecordingOutput }> {
  const { instanceId, plan, input } = archiveInputFor(emu, recordingId, editEvent);
  await writeArchivePlan(plan, { logger: silentLogger });
  const run = await runOrchestration(ARCHIVE_RECORDING_ORCHESTRATION, input, { instanceId, ...options });
  if (run.runtimeStatus !== 'Completed') throw new Error(`archiveRecording ${run.runtimeStatus}: ${run.error ?? ''}`);
  return run as OrchestrationRun & { output: ArchiveRecordingOutput };
}

/** Every blob in the container with its properties, metadata and tags. */
export async function listArchive(container: ContainerClient): Promise<
  { name: string; size: number; md5: string; contentType?: string; etag?: string; metadata: Record<string, string>; tags: Record<string, string> }[]
> {
  const out = [];
  for await (const b of container.listBlobsFlat({ includeMetadata: true, includeTags: true })) {
    out.push({
      name: b.name,
      size: b.properties.contentLength ?? -1,
      md5: b.properties.contentMD5 ? Buffer.from(b.properties.contentMD5).toString('base64') : '',
      contentType: b.properties.contentType,
      etag: b.properties.etag,
      metadata: b.metadata ?? {},
      tags: b.tags ?? {},
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
