// The README's local scenario in-process, as the end-to-end tests run it: the ACS emulator over HTTP, the fake Durable
// API with the in-process Durable driver, the in-process host stand-in serving every real function of src/functions,
// and the app configured through process.env against them and the run's Azurite (a state table and an archive
// container of its own). Shared by the simulation, telemetry and browser (console) tests; close() undoes it all.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { inject } from 'vitest';
import { startAcsEmulator, type AcsEmulator } from '../../tools/acs-emulator/index.js';
import { startFakeDurableApi, type FakeDurableApi } from '../../tools/local/host/durableClientApi.js';
import { startInProcessHost, type InProcessHost, type InProcessHostOptions } from '../../tools/local/host/inProcessHost.js';
import { applyEnv } from './env.js';

const functionsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/functions');

export interface LocalApp {
  emu: AcsEmulator;
  durable: FakeDurableApi;
  host: InProcessHost;
  /** The archive container the app writes to. */
  container: ContainerClient;
  close(): Promise<void>;
}

export interface LocalAppOptions {
  /** Prefix of the state table, archive container and task hub names (letters only). */
  name: string;
  /** The ?token= secret of the callbacks (they are authenticated both ways, the emulator's RS256 JWT and this). */
  callbackToken: string;
  /** Further settings (undefined unsets one). */
  settings?: Record<string, string | undefined>;
  /** Options of the in-process host (e.g. function keys to enforce). */
  host?: InProcessHostOptions;
}

export async function startLocalApp({ name, callbackToken, settings = {}, host: hostOptions }: LocalAppOptions): Promise<LocalApp> {
  const emu = await startAcsEmulator();
  const durable = await startFakeDurableApi();
  const host = await startInProcessHost(durable, hostOptions);
  const storage = inject('storageConnectionString');
  const containerName = `${name}${Date.now()}`;
  const restoreEnv = applyEnv({
    ACS_CONNECTION_STRING: emu.connectionString,
    AzureWebJobsStorage: storage,
    STATE_TABLE_NAME: `${name}state${Date.now()}`,
    ARCHIVE_CONTAINER: containerName,
    ACS_MEDIA_ALLOWED_ORIGINS: emu.mediaOrigin,
    PUBLIC_BASE_URL: host.baseUrl,
    ACS_RESOURCE_ID: emu.resourceId,
    ACS_OPENID_CONFIG_URL: emu.openIdConfigUrl,
    CALLBACK_TOKEN: callbackToken,
    ARCHIVE_BLOCK_SIZE_MIB: '1',
    ACS_MAX_RETRIES: '3',
    TASKHUB_NAME: `${name}hub`,
    ...settings,
  });
  for (const file of readdirSync(functionsDir).filter((f) => f.endsWith('.ts'))) await import(path.join(functionsDir, file));
  return {
    emu,
    durable,
    host,
    container: BlobServiceClient.fromConnectionString(storage).getContainerClient(containerName),
    close: async () => {
      await host.close();
      await durable.close();
      await emu.close();
      restoreEnv();
    },
  };
}
