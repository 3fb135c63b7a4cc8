// One measured transfer in a fresh process, so its peak RSS is its own. Prints one JSON line.
// Modes: `archive` (this app's engine: ACS ranges → staged blocks, MD5 while streaming), `tempfile` (the quickstart
// pattern: download the whole file to a temp file, then upload it), `uploadData` (an in-memory buffer uploaded with
// the SDK: the practical upper bound here).
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BlobServiceClient } from '@azure/storage-blob';
import { RestAcsMediaClient } from '../../src/acs/RestAcsMediaClient.js';
import { loadConfig } from '../../src/config.js';
import { mediaRangeSource } from '../../src/archive/transfer/mediaRangeSource.js';
import { transferToBlockBlob } from '../../src/archive/transfer/transferToBlockBlob.js';

export interface WorkerInput {
  mode: 'archive' | 'tempfile' | 'uploadData';
  acsConnectionString: string;
  storageConnectionString: string;
  container: string;
  blobName: string;
  contentUrl: string;
  sizeBytes: number;
  blockSizeBytes: number;
  concurrency: number;
}

export interface WorkerResult {
  mode: WorkerInput['mode'];
  bytes: number;
  ms: number;
  /** CPU time (user + system, all threads) of this process during the timed part. */
  cpuMs: number;
  maxRssMiB: number;
}

async function run(input: WorkerInput): Promise<WorkerResult> {
  const config = loadConfig({ ACS_CONNECTION_STRING: input.acsConnectionString, ACS_MEDIA_ALLOWED_ORIGINS: new URL(input.contentUrl).origin });
  const media = new RestAcsMediaClient(config.acs!, config.mediaAllowedOrigins, { timeoutMs: 120_000 });
  const blob = BlobServiceClient.fromConnectionString(input.storageConnectionString).getContainerClient(input.container).getBlockBlobClient(input.blobName);
  let bytes = 0;
  let started: number;
  let cpuAtStart = process.cpuUsage();
  switch (input.mode) {
    case 'archive': {
      started = performance.now();
      cpuAtStart = process.cpuUsage();
      const r = await transferToBlockBlob(mediaRangeSource(media, input.contentUrl), blob, {
        contentType: 'audio/wav',
        blockSizeBytes: input.blockSizeBytes,
        concurrency: input.concurrency,
      });
      bytes = r.sizeBytes;
      break;
    }
    case 'tempfile': {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-'));
      const file = path.join(dir, 'recording.bin');
      try {
        started = performance.now();
        cpuAtStart = process.cpuUsage();
        const d = await media.download(input.contentUrl);
        await pipeline(d.body, createWriteStream(file));
        await blob.uploadFile(file, { blobHTTPHeaders: { blobContentType: 'audio/wav' } });
        bytes = (await blob.getProperties()).contentLength ?? 0;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      break;
    }
    case 'uploadData': {
      // Allocation and filling are not timed: this measures the upload alone.
      const data = Buffer.allocUnsafe(input.sizeBytes);
      for (let o = 0; o < data.length; o += 4096) data.writeUInt32LE(o >>> 0, o);
      started = performance.now();
      cpuAtStart = process.cpuUsage();
      await blob.uploadData(data, { blobHTTPHeaders: { blobContentType: 'audio/wav' } });
      bytes = data.length;
      break;
    }
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  return { mode: input.mode, bytes, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

const input = JSON.parse(process.argv[2] ?? '{}') as WorkerInput;
run(input).then(
  (r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(0);
  },
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
