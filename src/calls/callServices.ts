// The process-wide call services, wired from configuration (built on first use, rebuilt after resetConfig): the
// state table in host storage (`STATE_TABLE_NAME` in `AzureWebJobsStorage`), shared by the recording service and the
// archive's trigger and activities, and the RecordingService the callback, Event Grid and control API functions use.
// Tests construct RecordingService and TableCallStateStore themselves, or point these at the emulator and Azurite
// through the settings.
import type { TableClient } from '@azure/data-tables';
import { acsRecordingClient } from '../acs/clients.js';
import { ConfigError, perConfig, type StorageConnection } from '../config.js';
import { tableClientFor } from '../shared/storageClients.js';
import { recordingCallbackUri } from './recordingCallbackUri.js';
import { RecordingService } from './RecordingService.js';
import { TableCallStateStore } from './TableCallStateStore.js';

/** Retries of the Tables pipeline (its throttling policy honours Retry-After); each store call also has a deadline. */
export const STATE_TABLE_RETRY_OPTIONS = { maxRetries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 5_000 } as const;

/** The TableClient of the state table in host storage. */
export function createStateTableClient(connection: StorageConnection | undefined, tableName: string): TableClient {
  if (!connection) {
    throw new ConfigError(
      'The call state table needs AzureWebJobsStorage (a connection string, or AzureWebJobsStorage__tableServiceUri / __accountName)',
    );
  }
  return tableClientFor(connection, tableName, { retryOptions: STATE_TABLE_RETRY_OPTIONS });
}

/** The call/recording state store. */
export const stateStore = perConfig((config) => new TableCallStateStore(createStateTableClient(config.hostStorage, config.stateTableName)));

/** The service the callback, the Event Grid call events and the control API use. */
export const recordingService = perConfig(
  (config) =>
    new RecordingService({
      // Read at each use, so events that need no ACS call work even while ACS is not configured.
      get recordingClient() {
        return acsRecordingClient.get();
      },
      store: stateStore.get(),
      defaults: config.recordingDefaults,
      autoStart: config.recordingAutoStart,
      recordOnCallStarted: config.recordOnCallStarted,
      callStartedFilter: config.callStartedFilter,
      callbackUri: recordingCallbackUri(config.publicBaseUrl, config.callbackAuth.callbackToken),
    }),
);
