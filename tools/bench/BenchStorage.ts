// The benchmark's Blob Storage: a fresh in-memory Azurite with one container, restarted (and warmed up) whenever the
// bytes written since its start would pass a few GiB, because Azurite frees deleted blobs only every 10 minutes.
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { startAzurite, type AzuriteHandle } from '../local/azurite.js';
import { MiB } from './options.js';

/** Azurite restarts once the bytes written since its start would pass this (it frees deleted blobs lazily). */
const AZURITE_RESTART_AFTER_BYTES = 3 * 1024 * MiB;

/** A fresh in-memory Azurite with a container, replaced when too much was written into it. */
export class BenchStorage {
  private handle: AzuriteHandle | undefined;
  private written = 0;
  container!: ContainerClient;
  connectionString = '';
  pid: number | undefined;

  /** Azurite's blob origin now (it moves to another port when Azurite restarts). */
  get blobOrigin(): string {
    return `http://127.0.0.1:${this.handle!.blobPort}`;
  }

  /** Makes sure `bytes` more can be written, restarting Azurite first if needed. */
  async reserve(bytes: number): Promise<void> {
    if (this.handle && this.written + bytes <= AZURITE_RESTART_AFTER_BYTES) {
      this.written += bytes;
      return;
    }
    await this.handle?.stop();
    this.handle = await startAzurite({ inMemory: true });
    this.connectionString = this.handle.connectionString;
    this.pid = this.handle.pid;
    this.container = BlobServiceClient.fromConnectionString(this.connectionString).getContainerClient(`bench${Date.now()}`);
    await this.container.create();
    await this.warmUp();
    this.written = bytes;
  }

  /** Runs Azurite's upload paths once (whole blob, blocks, commit), so no mode meets a cold JIT. */
  private async warmUp(): Promise<void> {
    const data = Buffer.alloc(8 * MiB, 1);
    const whole = this.container.getBlockBlobClient('warmup/whole');
    const blocks = this.container.getBlockBlobClient('warmup/blocks');
    for (let i = 0; i < 4; i++) {
      await whole.uploadData(data);
      const ids = [0, 1].map((k) => Buffer.from(`b${i}${k}`).toString('base64'));
      for (const id of ids) await blocks.stageBlock(id, data, data.length);
      await blocks.commitBlockList(ids);
    }
    await whole.delete();
    await blocks.delete();
  }

  async stop(): Promise<void> {
    await this.handle?.stop();
  }
}
