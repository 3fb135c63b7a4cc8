// One isolated world per test: an ACS emulator, a fresh state table in the run's Azurite, the callback forwarder
// as PUBLIC_BASE_URL, and process.env pointing the app at all of them.
import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterEach, inject } from 'vitest';
import { startAcsEmulator, type AcsEmulator, type AcsEmulatorOptions } from '../../../tools/acs-emulator/index.js';
import { TableCallStateStore } from '../../../src/calls/TableCallStateStore.js';
import { applyEnv } from '../../support/env.js';
import { startCallbackForwarder, type CallbackForwarder } from './callbackForwarder.js';

export interface CallTestEnvOptions {
  /** Extra/overriding settings (undefined removes one). */
  env?: Record<string, string | undefined>;
  emulator?: AcsEmulatorOptions;
}

export interface CallTestEnv {
  emu: AcsEmulator;
  forwarder: CallbackForwarder;
  tableName: string;
  /** A second store over the same table, to inspect rows directly. */
  store: TableCallStateStore;
  /** The callback URL (with `?token=` when CALLBACK_TOKEN is set). */
  callbackUrl: string;
  close(): Promise<void>;
}

export const TEST_CALLBACK_TOKEN = 's3cr3t-callback-token';

export async function startCallTestEnv(options: CallTestEnvOptions = {}): Promise<CallTestEnv> {
  const emu = await startAcsEmulator(options.emulator);
  const forwarder = await startCallbackForwarder();
  const storage = inject('storageConnectionString');
  const tableName = `state${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const env: Record<string, string | undefined> = {
    ACS_CONNECTION_STRING: emu.connectionString,
    ACS_ENDPOINT: undefined,
    ACS_MAX_RETRIES: '1',
    ACS_REQUEST_TIMEOUT_MS: '10000',
    AzureWebJobsStorage: storage,
    STATE_TABLE_NAME: tableName,
    PUBLIC_BASE_URL: forwarder.baseUrl,
    ACS_RESOURCE_ID: emu.resourceId,
    ACS_OPENID_CONFIG_URL: emu.openIdConfigUrl,
    CALLBACK_TOKEN: TEST_CALLBACK_TOKEN,
    CALLBACK_AUTH: undefined,
    RECORDING_AUTO_START: undefined,
    RECORDING_CONTENT: undefined,
    RECORDING_CHANNEL: undefined,
    RECORDING_FORMAT: undefined,
    RECORDING_PAUSE_ON_START: undefined,
    RECORD_ON_CALL_STARTED: undefined,
    CALL_STARTED_FILTER: undefined,
    ...options.env,
  };
  const restore = applyEnv(env);
  const token = env.CALLBACK_TOKEN;
  const callbackUrl = `${forwarder.baseUrl}/api/callbacks/call-automation${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const store = new TableCallStateStore(TableClient.fromConnectionString(storage, tableName, { allowInsecureConnection: true }));
  return {
    emu,
    forwarder,
    tableName,
    store,
    callbackUrl,
    async close() {
      restore();
      await forwarder.close();
      await emu.close();
    },
  };
}

/**
 * For a test file: returns `setup(options)`, which starts a fresh {@link CallTestEnv} for the current test and closes
 * it (restoring process.env) after the test.
 */
export function useCallTestEnv(): (options?: CallTestEnvOptions) => Promise<CallTestEnv> {
  let current: CallTestEnv | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options = {}) => {
    current = await startCallTestEnv(options);
    return current;
  };
}
