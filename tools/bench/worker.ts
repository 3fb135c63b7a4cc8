// One measured transfer in a fresh process, so its peak RSS is its own. Prints one JSON line.
// Modes: `archive` (this app's engine: ACS ranges → staged blocks, MD5 while streaming), `tempfile` (the quickstart
// pattern: download the whole file to a temp file, then upload it), `uploadData` (an in-memory buffer uploaded with
// the SDK: the practical upper bound here), `uploadStream` (the ACS download piped into the SDK's `uploadStream` with
// the app's block size and upload slots: a streaming copy that hashes, verifies and resumes nothing — the ceiling of
// any archiver that has to download the file on this machine). The blob client is built as the app builds it (same
// retry/timeout policy).
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BlobServiceClient, type BlockBlobClient } from '@azure/storage-blob';
import { RestAcsMediaClient } from '../../src/acs/RestAcsMediaClient.js';
import { archiveStoragePipelineOptions } from '../../src/archive/archiveContainerClient.js';
import { sharedHashThread } from '../../src/archive/transfer/HashThread.js';
import { mediaRangeSource } from '../../src/archive/transfer/mediaRangeSource.js';
import { transferToBlockBlob, uploadConcurrencyFor } from '../../src/archive/transfer/transferToBlockBlob.js';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { runWorkerMain } from './runWorkerMain.js';

export interface WorkerInput {
  mode: 'archive' | 'tempfile' | 'uploadData' | 'uploadStream';
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
  /** A smaller file moved the same way, untimed, before the measured one (see measure()). */
  warmUp?: { contentUrl: string; sizeBytes: number };
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

/** The archive settings of this run: the input's, else the app's defaults. */
function settingsFor(input: WorkerInput, config: AppConfig): Transfer['settings'] {
  const concurrency = input.concurrency ?? config.archiveTransferConcurrency;
  return {
    blockSizeBytes: input.blockSizeBytes ?? config.archiveBlockSizeBytes,
    concurrency,
    uploadConcurrency: input.uploadConcurrency ?? uploadConcurrencyFor(concurrency),
  };
}

/** The timed transfer (after the untimed warm-up), with the CPU and RSS figures around it. */
async function measure(input: WorkerInput, config: AppConfig, settings: Transfer['settings']): Promise<Omit<WorkerResult, 'mode' | 'maxRssMiB' | 'settings'>> {
  const media = new RestAcsMediaClient(config.acs!, config.mediaAllowedOrigins, { timeoutMs: 120_000 });
  const container = BlobServiceClient.fromConnectionString(input.storageConnectionString, archiveStoragePipelineOptions(settings.blockSizeBytes))
    .getContainerClient(input.container);
  const dir = input.mode === 'tempfile' ? await mkdtemp(path.join(os.tmpdir(), 'bench-')) : undefined;
  const transfer: Transfer = { mode: input.mode, media, settings, dir };
  try {
    // The hash thread starts once per process (a long-lived Functions host pays it once, like loading modules).
    if (input.mode === 'archive') await sharedHashThread()?.warmUp();
    if (input.warmUp) {
      // One small untimed transfer of the same kind first: a long-lived host runs these code paths warm, so the timed
      // transfer should not pay the JIT and the first connections (which dominate a 64 MiB run in a fresh process).
      const warmUpBlob = container.getBlockBlobClient(`${input.blobName}-warmup`);
      await transferOnce(transfer, input.warmUp.contentUrl, input.warmUp.sizeBytes, warmUpBlob, filledBuffer(input.mode, input.warmUp.sizeBytes));
      await warmUpBlob.deleteIfExists();
    }
    // Allocation and filling of (b)'s buffer are not timed: that mode measures the upload alone.
    const data = filledBuffer(input.mode, input.sizeBytes);
    const rssBeforeMiB = process.memoryUsage.rss() / 1024 / 1024;
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const bytes = await transferOnce(transfer, input.contentUrl, input.sizeBytes, container.getBlockBlobClient(input.blobName), data);
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuAtStart);
    return { bytes, ms, cpuMs: (cpu.user + cpu.system) / 1000, rssBeforeMiB };
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

async function run(input: WorkerInput): Promise<WorkerResult> {
  const config = loadConfig({ ACS_CONNECTION_STRING: input.acsConnectionString, ACS_MEDIA_ALLOWED_ORIGINS: new URL(input.contentUrl).origin });
  const settings = settingsFor(input, config);
  const result: WorkerResult = { mode: input.mode, ...(await measure(input, config, settings)), maxRssMiB: process.resourceUsage().maxRSS / 1024 };
  if (input.mode === 'archive' || input.mode === 'uploadStream') result.settings = settings;
  return result;
}

interface Transfer {
  mode: WorkerInput['mode'];
  media: RestAcsMediaClient;
  settings: { blockSizeBytes: number; concurrency: number; uploadConcurrency: number };
  /** The temporary directory of `tempfile`. */
  dir: string | undefined;
}

/** The in-memory source of `uploadData`, filled; nothing for the other modes. */
function filledBuffer(mode: WorkerInput['mode'], sizeBytes: number): Buffer | undefined {
  if (mode !== 'uploadData') return undefined;
  const data = Buffer.allocUnsafe(sizeBytes);
  for (let o = 0; o < data.length; o += 4096) data.writeUInt32LE(o >>> 0, o);
  return data;
}

/** Moves one file the way `t.mode` does; returns the bytes that landed in the blob. */
async function transferOnce(t: Transfer, contentUrl: string, sizeBytes: number, blob: BlockBlobClient, data: Buffer | undefined): Promise<number> {
  const headers = { blobHTTPHeaders: { blobContentType: 'audio/wav' } };
  switch (t.mode) {
    case 'archive':
      return (await transferToBlockBlob(mediaRangeSource(t.media, contentUrl), blob, { contentType: 'audio/wav', ...t.settings })).sizeBytes;
    case 'tempfile': {
      const file = path.join(t.dir!, `recording-${sizeBytes}.bin`);
      const d = await t.media.download(contentUrl);
      await pipeline(d.body, createWriteStream(file));
      await blob.uploadFile(file, headers);
      await rm(file, { force: true });
      break;
    }
    case 'uploadStream': {
      const d = await t.media.download(contentUrl);
      await blob.uploadStream(d.body, t.settings.blockSizeBytes, t.settings.uploadConcurrency, headers);
      break;
    }
    case 'uploadData':
      await blob.uploadData(data!, headers);
      return data!.length;
  }
  return (await blob.getProperties()).contentLength ?? 0;
}

runWorkerMain(run);
