// `npm run bench`: archive-path benchmarks on loopback against the ACS emulator and Azurite.
// Each figure is the median of several runs, each run a fresh worker process (so peak RSS is its own); results go to
// bench/results/<timestamp>.json and bench/results/latest.json, and a Markdown summary to bench/results/latest.md.
//   --sizes 64,512,2048   MiB per chunk for the throughput comparison      --runs 3
//   --sweep-size 256      MiB moved in the block size / concurrency sweep  --quick (small sizes, 1 run)
//   --chunks 200          chunks in the end-to-end orchestration run
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { startAcsEmulator, type AcsEmulator } from '../acs-emulator/index.js';
import { startAzurite } from '../local/azurite.js';
import type { WorkerInput, WorkerResult } from './worker.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const MiB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '64,512,2048' },
    runs: { type: 'string', default: '3' },
    'sweep-size': { type: 'string', default: '256' },
    'sweep-blocks': { type: 'string', default: '4,8,16,32' },
    'sweep-concurrency': { type: 'string', default: '1,2,4' },
    chunks: { type: 'string', default: '200' },
    quick: { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const sizesMiB = (quick ? '16,64' : values.sizes).split(',').map(Number);
const runs = quick ? 1 : Number(values.runs);
const sweepMiB = quick ? 32 : Number(values['sweep-size']);
const sweepBlocks = (quick ? '4,8' : values['sweep-blocks']).split(',').map(Number);
const sweepConcurrency = (quick ? '1,2' : values['sweep-concurrency']).split(',').map(Number);
const orchestrationChunks = quick ? 20 : Number(values.chunks);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function worker(script: string, input: unknown): Promise<unknown> {
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const { stdout } = await run(tsx, [path.join(here, script), JSON.stringify(input)], { cwd: root, maxBuffer: 16 * MiB, env: { ...process.env, NODE_OPTIONS: '' } });
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as unknown;
}

interface Measured {
  mode: string;
  sizeMiB: number;
  blockMiB?: number;
  concurrency?: number;
  runs: WorkerResult[];
  medianMs: number;
  medianMiBps: number;
  medianMaxRssMiB: number;
}

async function measure(
  emu: AcsEmulator, container: ContainerClient, storage: string, mode: WorkerInput['mode'], sizeMiB: number, contentUrl: string, blockMiB: number, concurrency: number,
): Promise<Measured> {
  const results: WorkerResult[] = [];
  for (let i = 0; i < runs; i++) {
    const blobName = `bench/${mode}-${sizeMiB}-${blockMiB}-${concurrency}-${i}-${Date.now()}`;
    const input: WorkerInput = {
      mode, acsConnectionString: emu.connectionString, storageConnectionString: storage, container: container.containerName,
      blobName, contentUrl, sizeBytes: sizeMiB * MiB, blockSizeBytes: blockMiB * MiB, concurrency,
    };
    const r = (await worker('worker.ts', input)) as WorkerResult;
    if (r.bytes !== sizeMiB * MiB) throw new Error(`${mode} moved ${r.bytes} bytes, expected ${sizeMiB * MiB}`);
    results.push(r);
    // Free Azurite's memory before the next run.
    await container.getBlobClient(blobName).deleteIfExists();
  }
  const medianMs = median(results.map((r) => r.ms));
  return {
    mode, sizeMiB, blockMiB, concurrency, runs: results, medianMs,
    medianMiBps: sizeMiB / (medianMs / 1000),
    medianMaxRssMiB: median(results.map((r) => r.maxRssMiB)),
  };
}

async function main(): Promise<void> {
  const azurite = await startAzurite({ inMemory: true });
  const emu = await startAcsEmulator();
  const storage = azurite.connectionString;
  const container = BlobServiceClient.fromConnectionString(storage).getContainerClient(`bench${Date.now()}`);
  await container.create();
  const out: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 1024 ** 3), node: process.version },
    runs,
  };
  try {
    // 1. Throughput and memory per size: this engine vs the two baselines, same bytes, same run.
    const throughput: Measured[] = [];
    for (const sizeMiB of sizesMiB) {
      const rec = emu.createRecordingWithFiles({ chunks: [sizeMiB * MiB] });
      const url = rec.chunks[0]!.contentLocation;
      for (const mode of ['archive', 'tempfile', 'uploadData'] as const) {
        const m = await measure(emu, container, storage, mode, sizeMiB, url, 8, 1);
        throughput.push(m);
        console.log(`${mode.padEnd(10)} ${String(sizeMiB).padStart(5)} MiB  ${m.medianMiBps.toFixed(1).padStart(7)} MiB/s  peak RSS ${m.medianMaxRssMiB.toFixed(0)} MiB`);
      }
    }
    out.throughput = throughput;

    // 2. Settings sweep: block size x parallel ranges.
    const sweep: Measured[] = [];
    const sweepRec = emu.createRecordingWithFiles({ chunks: [sweepMiB * MiB] });
    for (const blockMiB of sweepBlocks) {
      for (const concurrency of sweepConcurrency) {
        const m = await measure(emu, container, storage, 'archive', sweepMiB, sweepRec.chunks[0]!.contentLocation, blockMiB, concurrency);
        sweep.push(m);
        console.log(`sweep block ${blockMiB} MiB x${concurrency}: ${m.medianMiBps.toFixed(1)} MiB/s, peak RSS ${m.medianMaxRssMiB.toFixed(0)} MiB`);
      }
    }
    out.sweep = sweep;

    // 3. A many-chunk recording end to end through the orchestration.
    const orchestration = await worker('orchestrationWorker.ts', {
      storageConnectionString: storage, chunks: orchestrationChunks, chunkSizeBytes: 64 * 1024, container: `benchorch${Date.now()}`,
    });
    out.orchestration = orchestration;
    console.log(`orchestration: ${JSON.stringify(orchestration)}`);
  } finally {
    await emu.close();
    await azurite.stop();
  }

  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(out, null, 2)}\n`;
  const stamp = (out.date as string).replace(/[:.]/g, '-');
  writeFileSync(path.join(dir, `${quick ? 'quick-' : ''}${stamp}.json`), json);
  writeFileSync(path.join(dir, quick ? 'quick-latest.json' : 'latest.json'), json);
  const md = summarize(out);
  writeFileSync(path.join(dir, quick ? 'quick-latest.md' : 'latest.md'), md);
  console.log(`\n${md}`);
}

function summarize(out: Record<string, unknown>): string {
  const t = out.throughput as Measured[];
  const lines = [
    `Run ${out.date as string} on ${JSON.stringify(out.machine)}; medians of ${runs} run(s).`,
    '',
    '| chunk | this app (MiB/s) | temp file (a) | uploadData (b) | app / (a) | app / (b) | peak RSS app | peak RSS (a) | peak RSS (b) |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const size of [...new Set(t.map((m) => m.sizeMiB))]) {
    const by = (mode: string) => t.find((m) => m.sizeMiB === size && m.mode === mode)!;
    const a = by('archive'), tf = by('tempfile'), ud = by('uploadData');
    lines.push(
      `| ${size} MiB | ${a.medianMiBps.toFixed(1)} | ${tf.medianMiBps.toFixed(1)} | ${ud.medianMiBps.toFixed(1)} | ${(a.medianMiBps / tf.medianMiBps).toFixed(2)}x | ${(a.medianMiBps / ud.medianMiBps).toFixed(2)}x | ${a.medianMaxRssMiB.toFixed(0)} MiB | ${tf.medianMaxRssMiB.toFixed(0)} MiB | ${ud.medianMaxRssMiB.toFixed(0)} MiB |`,
    );
  }
  const archiveRss = t.filter((m) => m.mode === 'archive').map((m) => m.medianMaxRssMiB);
  lines.push('', `Peak RSS of the archiver, largest vs smallest size: ${(archiveRss.at(-1)! / archiveRss[0]!).toFixed(2)}x.`, '');
  const s = out.sweep as Measured[];
  lines.push(`Sweep (${s[0]?.sizeMiB} MiB, this app):`, '', '| block | parallel ranges | MiB/s | peak RSS |', '|---|---|---|---|');
  for (const m of s) lines.push(`| ${m.blockMiB} MiB | ${m.concurrency} | ${m.medianMiBps.toFixed(1)} | ${m.medianMaxRssMiB.toFixed(0)} MiB |`);
  const o = out.orchestration as { chunks: number; chunkSizeBytes: number; ms: number; activities: number; historyEvents: number; historyBytesPerChunk: number; sourcesDeleted: number };
  lines.push(
    '',
    `Orchestration: ${o.chunks} chunks of ${o.chunkSizeBytes / 1024} KiB in ${(o.ms / 1000).toFixed(1)} s, ${o.activities} activities, ` +
      `${o.historyEvents} history events, ${(o.historyBytesPerChunk / 1024).toFixed(2)} KiB history per chunk, ${o.sourcesDeleted} sources deleted.`,
  );
  return `${lines.join('\n')}\n`;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
