// The TableClient for the state table, from the host storage connection exactly as Functions resolves
// `AzureWebJobsStorage`: a connection string (Azurite locally), or identity-based `__tableServiceUri` /
// `__accountName` settings with a managed identity (`__clientId`) or DefaultAzureCredential.
import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { ConfigError, type StorageConnection } from '../config.js';

/** Retries of the Tables pipeline (its throttling policy honours Retry-After); each store call also has a deadline. */
export const STATE_TABLE_RETRY_OPTIONS = { maxRetries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 5_000 } as const;

export function createStateTableClient(connection: StorageConnection | undefined, tableName: string): TableClient {
  if (!connection) {
    throw new ConfigError(
      'The call state table needs AzureWebJobsStorage (a connection string, or AzureWebJobsStorage__tableServiceUri / __accountName)',
    );
  }
  if (connection.kind === 'connectionString') {
    // The scheme comes from the operator's own connection string (http only for Azurite); don't second-guess it.
    return TableClient.fromConnectionString(connection.connectionString, tableName, {
      allowInsecureConnection: true,
      retryOptions: STATE_TABLE_RETRY_OPTIONS,
    });
  }
  const url = connection.tableServiceUri ?? (connection.accountName ? `https://${connection.accountName}.table.core.windows.net` : undefined);
  if (!url) {
    throw new ConfigError('Identity-based AzureWebJobsStorage needs AzureWebJobsStorage__tableServiceUri or AzureWebJobsStorage__accountName for the state table');
  }
  const credential = connection.clientId ? new ManagedIdentityCredential({ clientId: connection.clientId }) : new DefaultAzureCredential();
  return new TableClient(url, tableName, credential, { retryOptions: STATE_TABLE_RETRY_OPTIONS });
}
