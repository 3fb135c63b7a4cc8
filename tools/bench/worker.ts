// One measured transfer in a fresh process, so its peak RSS is its own. Prints one JSON line.
// Modes: `archive` (this app's engine: ACS ranges → staged blocks, MD5 while streaming), `tempfile` (the quickstart
// pattern: download the whole file to a temp file, then upload it), `uploadData` (an in-memory buffer uploaded with
// the SDK: the practical upper bound here). The blob client is built as the app builds it (same retry/timeout policy).
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BlobServiceClient } from '@azure/storage-blob';
import { RestAcsMediaClient } from '../../src/acs/RestAcsMediaClient.js';
import { archiveStoragePipelineOptions } from '../../src/archive/archiveContainerClient.js';
import { sharedHashThread } from '../../src/archive/transfer/HashThread.js';
import { mediaRangeSource } from '../../src/archive/transfer/mediaRangeSource.js';
import { transferToBlockBlob, uploadConcurrencyFor } from '../../src/archive/transfer/transferToBlockBlob.js';
import { loadConfig } from '../../src/config.js';
import { runWorkerMain } from './runWorkerMain.js';

export interface WorkerInput {
  mode: 'archive' | 'tempfile' | 'uploadData';
  acsConnectionString: string;
  storageConnectionString: string;
  container: string;
  blobName: string;
  contentUrl: string;
  sizeBytes: number;
  /** Archive settings; each one absent means the app's default (ARCHIVE_BLOCK_SIZE_MIB, …, the engine's default). */
  blockSizeBytes?: number;
  concurrency?: number;
  uploadConcurrency?: number;
}

export interface WorkerResult {
  mode: WorkerInput['mode'];
  bytes: number;
  ms: number;
  /** CPU time (user + system, all threads) of this process during the timed part. */
  cpuMs: number;
  /** RSS just before the timed part (Node, tsx, the SDKs; for uploadData also the buffer) and its peak. */
  rssBeforeMiB: number;
  maxRssMiB: number;
  /** The archive settings used (archive mode). */
  settings?: { blockSizeBytes: number; concurrency: number; uploadConcurrency: number };
}

async function run(input: WorkerInput): Promise<WorkerResult> {
  const config = loadConfig({ ACS_CONNECTION_STRING: input.acsConnectionString, ACS_MEDIA_ALLOWED_ORIGINS: new URL(input.contentUrl).origin });
  const concurrency = input.concurrency ?? config.archiveTransferConcurrency;
  const settings = {
    blockSizeBytes: input.blockSizeBytes ?? config.archiveBlockSizeBytes,
    concurrency,
    uploadConcurrency: input.uploadConcurrency ?? uploadConcurrencyFor(concurrency),
  };
  const media = new RestAcsMediaClient(config.acs!, config.mediaAllowedOrigins, { timeoutMs: 120_000 });
  const blob = BlobServiceClient.fromConnectionString(input.storageConnectionString, archiveStoragePipelineOptions(settings.blockSizeBytes))
    .getContainerClient(input.container)
    .getBlockBlobClient(input.blobName);
  let bytes = 0;
  let data: Buffer | undefined;
  let dir: string | undefined;
  if (input.mode === 'uploadData') {
    // Allocation and filling are not timed: this measures the upload alone.
    data = Buffer.allocUnsafe(input.sizeBytes);
    for (let o = 0; o < data.length; o += 4096) data.writeUInt32LE(o >>> 0, o);
  }
  if (input.mode === 'tempfile') dir = await mkdtemp(path.join(os.tmpdir(), 'bench-'));
  // The hash thread starts once per process (a long-lived Functions host pays it once, like loading modules).
  if (input.mode === 'archive') await sharedHashThread()?.warmUp();

  const rssBeforeMiB = process.memoryUsage.rss() / 1024 / 1024;
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  try {
    switch (input.mode) {
      case 'archive': {
        const r = await transferToBlockBlob(mediaRangeSource(media, input.contentUrl), blob, { contentType: 'audio/wav', ...settings });
        bytes = r.sizeBytes;
        break;
      }
      case 'tempfile': {
        const file = path.join(dir!, 'recording.bin');
        const d = await media.download(input.contentUrl);
        await pipeline(d.body, createWriteStream(file));
        await blob.uploadFile(file, { blobHTTPHeaders: { blobContentType: 'audio/wav' } });
        bytes = (await blob.getProperties()).contentLength ?? 0;
        break;
      }
      case 'uploadData': {
        await blob.uploadData(data!, { blobHTTPHeaders: { blobContentType: 'audio/wav' } });
        bytes = data!.length;
        break;
      }
    }
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  const result: WorkerResult = {
    mode: input.mode,
    bytes,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssBeforeMiB,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  if (input.mode === 'archive') result.settings = settings;
  return result;
}

runWorkerMain(run);
