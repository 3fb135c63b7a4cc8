// The archive container is built from configuration the way Functions resolves a storage connection.
import { randomUUID } from 'node:crypto';
import { ManagedIdentityCredential } from '@azure/identity';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { archiveContainerClient, ensureArchiveContainer } from '../../../src/archive/archiveContainerClient.js';
import { blobServiceClientFor } from '../../../src/shared/storageClients.js';
import { ConfigError } from '../../../src/config.js';
import { applyEnv } from '../../support/env.js';

const KEYS = ['ARCHIVE_STORAGE', 'ARCHIVE_STORAGE__blobServiceUri', 'ARCHIVE_STORAGE__accountName', 'ARCHIVE_STORAGE__clientId', 'AzureWebJobsStorage', 'ARCHIVE_CONTAINER'];
let restore: (() => void) | undefined;

/** Exactly `env` among KEYS (the others unset); the first call of a test keeps the restore to the settings before it. */
function useEnv(env: Record<string, string>) {
  const undo = applyEnv({ ...Object.fromEntries(KEYS.map((k) => [k, undefined])), ...env });
  restore ??= undo;
}

afterEach(() => {
  restore?.();
  restore = undefined;
});

describe('archiveContainerClient', () => {
  it('uses the ARCHIVE_STORAGE connection string and ARCHIVE_CONTAINER; ensureArchiveContainer creates it once', async () => {
    const name = `arch-${randomUUID()}`;
    useEnv({ ARCHIVE_STORAGE: inject('storageConnectionString'), ARCHIVE_CONTAINER: name });
    const container = archiveContainerClient.get();
    expect(container.containerName).toBe(name);
    expect(await container.exists()).toBe(false);
    await ensureArchiveContainer();
    await ensureArchiveContainer();
    expect(await container.exists()).toBe(true);
    await container.delete();
  });

  it('falls back to AzureWebJobsStorage', () => {
    useEnv({ AzureWebJobsStorage: inject('storageConnectionString') });
    expect(archiveContainerClient.get().url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/recordings$/);
  });

  it('uses identity-based settings: blobServiceUri, or the account name, with a user-assigned identity when clientId is set', () => {
    useEnv({ ARCHIVE_STORAGE__blobServiceUri: 'https://archive.blob.core.windows.net', ARCHIVE_STORAGE__clientId: 'client-1' });
    const byUri = archiveContainerClient.get();
    expect(byUri.url).toBe('https://archive.blob.core.windows.net/recordings');
    expect(byUri.credential).toBeInstanceOf(ManagedIdentityCredential);

    useEnv({ ARCHIVE_STORAGE__accountName: 'archacct' });
    expect(archiveContainerClient.get().url).toBe('https://archacct.blob.core.windows.net/recordings');
  });

  it('fails with a ConfigError naming the settings when nothing is configured', () => {
    useEnv({});
    expect(() => archiveContainerClient.get()).toThrow(ConfigError);
    expect(() => archiveContainerClient.get()).toThrow(/ARCHIVE_STORAGE/);
    expect(() => blobServiceClientFor({ kind: 'identity', queueServiceUri: 'https://q' })).toThrow(/blobServiceUri/);
  });
});
