// The archive container, built from ARCHIVE_STORAGE (falling back to AzureWebJobsStorage) by the one storage
// connection → client resolution (src/shared/storageClients.ts), with the archive's retry and timeout options.
import type { ContainerClient, StoragePipelineOptions } from '@azure/storage-blob';
import { ConfigError, perConfig, type AppConfig } from '../config.js';
import { blobServiceClientFor } from '../shared/storageClients.js';

/** Tries per storage request (the SDK's retry policy, exponential with jitter). */
export const ARCHIVE_STORAGE_MAX_TRIES = 5;

/**
 * Every storage request gets a timeout per try: a minute plus 10 s per MiB of block, so an 8 MiB block may take
 * 140 s (≥ 60 KB/s) before the try is abandoned and retried.
 */
export function archiveStoragePipelineOptions(blockSizeBytes: number): StoragePipelineOptions {
  return {
    retryOptions: {
      maxTries: ARCHIVE_STORAGE_MAX_TRIES,
      retryDelayInMs: 1_000,
      maxRetryDelayInMs: 30_000,
      tryTimeoutInMs: 60_000 + Math.ceil(blockSizeBytes / (1024 * 1024)) * 10_000,
    },
    userAgentOptions: { userAgentPrefix: 'acs-recording-archiver' },
  };
}

function archiveContainerFrom(config: AppConfig): ContainerClient {
  if (!config.archiveStorage) {
    throw new ConfigError(
      'Archive storage is not configured: set ARCHIVE_STORAGE (connection string or ARCHIVE_STORAGE__blobServiceUri) or AzureWebJobsStorage',
    );
  }
  return blobServiceClientFor(config.archiveStorage, archiveStoragePipelineOptions(config.archiveBlockSizeBytes)).getContainerClient(
    config.archiveContainer,
  );
}

/** The archive container (`ARCHIVE_CONTAINER`, default `recordings`). */
export const archiveContainerClient = perConfig<ContainerClient>(archiveContainerFrom);

// Cached per container client, so a container rebuilt after resetConfig (tests) is ensured too.
const ensured = new WeakMap<ContainerClient, Promise<void>>();

/** Creates the archive container if it does not exist; once per process (a failure is retried on the next call). */
export async function ensureArchiveContainer(): Promise<void> {
  const container = archiveContainerClient.get();
  let pending = ensured.get(container);
  if (!pending) {
    pending = container.createIfNotExists().then(() => undefined);
    ensured.set(container, pending);
    pending.catch(() => ensured.delete(container));
  }
  await pending;
}
