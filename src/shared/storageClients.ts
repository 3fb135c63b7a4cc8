// Storage connection → client, in one place, the way the Functions host resolves a connection setting: a connection
// string (Azurite locally: its scheme is the operator's, http included), or identity-based `<setting>__<service>ServiceUri`
// / `__accountName` settings with a user-assigned identity (`__clientId`) or else DefaultAzureCredential. The archive
// container (ARCHIVE_STORAGE) and the state table (AzureWebJobsStorage) are both built here.
import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { ConfigError, type StorageConnection } from '../config.js';

type IdentityConnection = Extract<StorageConnection, { kind: 'identity' }>;

/** The service URL and credential of an identity-based connection; `setting` names it in the error. */
function identityTarget(connection: IdentityConnection, service: 'blob' | 'table', setting: string): { url: string; credential: TokenCredential } {
  const url = (service === 'blob' ? connection.blobServiceUri : connection.tableServiceUri) ??
    (connection.accountName ? `https://${connection.accountName}.${service}.core.windows.net` : undefined);
  if (!url) throw new ConfigError(`${setting} identity settings need ${setting}__${service}ServiceUri or ${setting}__accountName`);
  // A user-assigned identity is named by clientId; otherwise the default chain (system identity, az login, …).
  const credential = connection.clientId ? new ManagedIdentityCredential({ clientId: connection.clientId }) : new DefaultAzureCredential();
  return { url, credential };
}

/** The blob service of a storage connection (`setting` names the connection in errors; default ARCHIVE_STORAGE). */
export function blobServiceClientFor(connection: StorageConnection, options: StoragePipelineOptions = {}, setting = 'ARCHIVE_STORAGE'): BlobServiceClient {
  if (connection.kind === 'connectionString') return BlobServiceClient.fromConnectionString(connection.connectionString, options);
  const { url, credential } = identityTarget(connection, 'blob', setting);
  return new BlobServiceClient(url, credential, options);
}

/** A table of a storage connection (`setting` names the connection in errors; default AzureWebJobsStorage). */
export function tableClientFor(connection: StorageConnection, tableName: string, options: TableServiceClientOptions = {}, setting = 'AzureWebJobsStorage'): TableClient {
  if (connection.kind === 'connectionString') {
    // The scheme comes from the operator's own connection string (http only for Azurite); don't second-guess it.
    return TableClient.fromConnectionString(connection.connectionString, tableName, { allowInsecureConnection: true, ...options });
  }
  const { url, credential } = identityTarget(connection, 'table', setting);
  return new TableClient(url, tableName, credential, options);
}
