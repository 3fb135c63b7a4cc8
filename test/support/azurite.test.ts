import { BlobServiceClient } from '@azure/storage-blob';
import { TableClient } from '@azure/data-tables';
import { describe, expect, inject, it } from 'vitest';

// Proves the run's Azurite (started by globalSetup) is real and reachable for blobs and tables.
describe('Azurite test storage', () => {
  it('stores and returns a blob and a table entity', async () => {
    const cs = inject('storageConnectionString');
    const container = BlobServiceClient.fromConnectionString(cs).getContainerClient(`smoke${Date.now()}`);
    await container.create();
    await container.getBlockBlobClient('a.txt').upload('hello', 5);
    expect((await container.getBlobClient('a.txt').downloadToBuffer()).toString()).toBe('hello');
    const table = TableClient.fromConnectionString(cs, `smoke${Date.now()}`, { allowInsecureConnection: true });
    await table.createTable();
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', v: 1 });
    expect((await table.getEntity<{ v: number }>('p', 'r')).v).toBe(1);
  });
});
