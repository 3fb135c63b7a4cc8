// Azurite helpers for the transfer tests: a fresh container per test, and streamed reads of what a blob holds.
import { createHash, randomUUID } from 'node:crypto';
import { BlobServiceClient, type BlockBlobClient, type ContainerClient } from '@azure/storage-blob';
import { inject } from 'vitest';

/** A new, empty container on the run's Azurite. */
export async function newContainer(prefix = 'xfer'): Promise<ContainerClient> {
  const service = BlobServiceClient.fromConnectionString(inject('storageConnectionString'), { retryOptions: { maxTries: 1 } });
  const container = service.getContainerClient(`${prefix}-${randomUUID()}`);
  await container.create();
  return container;
}

/** MD5 (base64) and length of the blob's stored bytes, hashed while streaming the download. */
export async function storedDigest(blob: BlockBlobClient): Promise<{ md5Base64: string; length: number }> {
  const response = await blob.download();
  const h = createHash('md5');
  let length = 0;
  for await (const chunk of response.readableStreamBody as AsyncIterable<Buffer>) {
    h.update(chunk);
    length += chunk.length;
  }
  return { md5Base64: h.digest('base64'), length };
}
