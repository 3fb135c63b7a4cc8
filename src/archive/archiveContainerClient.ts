// The archive container, built from ARCHIVE_STORAGE (falling back to AzureWebJobsStorage) the way the Functions host
// resolves a storage connection: a connection string, or identity-based `__blobServiceUri` / `__accountName` settings.
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { ConfigError, getConfig, type AppConfig, type StorageConnection } from '../config.js';
import { lazy } from '../shared/lazy.js';

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

/** The blob service for a storage connection. Exported for tools and tests. */
export function blobServiceClientFor(connection: StorageConnection, options: StoragePipelineOptions = {}): BlobServiceClient {
  if (connection.kind === 'connectionString') return BlobServiceClient.fromConnectionString(connection.connectionString, options);
  const url = connection.blobServiceUri ?? (connection.accountName ? `https://${connection.accountName}.blob.core.windows.net` : undefined);
  if (!url) {
    throw new ConfigError('ARCHIVE_STORAGE identity settings need ARCHIVE_STORAGE__blobServiceUri or ARCHIVE_STORAGE__accountName');
  }
  // A user-assigned identity is named by clientId; otherwise the default chain (system identity, az login, …).
  const credential: TokenCredential = connection.clientId
    ? new ManagedIdentityCredential({ clientId: connection.clientId })
    : new DefaultAzureCredential();
  return new BlobServiceClient(url, credential, options);
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

/** The archive container (`ARCHIVE_CONTAINER`, default `recordings`); tests may `set()` one on Azurite. */
export const archiveContainerClient = lazy<ContainerClient>(() => archiveContainerFrom(getConfig()));

// Cached per container client, so a `set()` or reset in tests ensures the new container too.
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
