// The process-wide state store (`STATE_TABLE_NAME` in `AzureWebJobsStorage`), shared by the recording service and the
// archive's trigger and activities. Reset with the other lazies (tests change settings between cases).
import { getConfig } from '../config.js';
import { lazy } from '../shared/lazy.js';
import type { CallStateStore } from './CallStateStore.js';
import { createStateTableClient } from './createStateTableClient.js';
import { TableCallStateStore } from './TableCallStateStore.js';

export const stateStore = lazy<CallStateStore>(() => {
  const config = getConfig();
  return new TableCallStateStore(createStateTableClient(config.hostStorage, config.stateTableName));
});
