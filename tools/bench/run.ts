// `npm run bench`: archive-path benchmarks on loopback against the ACS emulator and Azurite.
// Each figure is the median of several runs, each run a fresh worker process (so peak RSS is its own); the modes of
// one size are interleaved run by run, so a change in machine load hits them alike. Besides wall time, every run
// records the CPU time the worker, Azurite and the emulator spent, and the load average: on a small machine the three
// share the cores, and that explains most of the differences. Azurite (in memory) frees deleted blobs only every 10
// minutes, so it is restarted (and warmed up) whenever the bytes written since its start would pass a few GiB; the
// order of the modes rotates from round to round. Results go to bench/results/<timestamp>.json and
// bench/results/latest.json, and a Markdown summary to bench/results/latest.md (quick runs: quick-*; runs of some
// parts only: partial-*).
//   --sizes 64,512,2048   MiB per chunk for the throughput comparison      --runs 3
//   --sweep-size 256      MiB moved in the settings sweep                  --sweep-runs (default: --runs)
//   --sweep-blocks 4,8,16  --sweep-concurrency 1,2,4  --sweep-uploads 1,2,4   (block MiB × ranges × uploads)
//   --sweep-scenarios loopback,storage,wan   loopback: nothing limited (all block sizes);
//                         storage: a proxy in front of Azurite passes --limit-storage-mibps (60) per upload connection
//                         and adds --limit-storage-latency-ms (20) to every response, as a remote account may;
//                         wan: that, and the source limited to --limit-source-mibps (40) per connection; the limited
//                         scenarios sweep the --limited-blocks (8) block size only
//   --chunks 200          chunks in the end-to-end orchestration run
//   --warm-up-mib 16      each worker first moves a file of this size the same way, untimed (0: measure cold)
//   --parts throughput,limits,sweep,orchestration   --quick (small sizes, 1 run)
//   limits: the app and the three baselines again, at --sweep-size, in the limited scenarios (storage, wan), where the
//   network rather than the CPU is the bottleneck, as it is against a real ACS and a remote storage account
//   --cpu-prof            write V8 CPU profiles of every archive worker to bench/results/profiles/<run>/
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { uploadConcurrencyFor } from '../../src/archive/transfer/transferToBlockBlob.js';
import { loadConfig } from '../../src/config.js';
import { throttleStream } from '../acs-emulator/faults/throttleStream.js';
import { startAcsEmulator, type AcsEmulator } from '../acs-emulator/index.js';
import { startAzurite, type AzuriteHandle } from '../local/azurite.js';
import type { WorkerInput, WorkerResult } from './worker.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const resultsDir = path.join(root, 'bench', 'results');
const MiB = 1024 * 1024;

const ALL_PARTS = ['throughput', 'limits', 'sweep', 'orchestration'];

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '64,512,2048' },
    runs: { type: 'string', default: '3' },
    'sweep-size': { type: 'string', default: '256' },
    'sweep-runs': { type: 'string' },
    'sweep-blocks': { type: 'string', default: '4,8,16' },
    'sweep-concurrency': { type: 'string', default: '1,2,4' },
    'sweep-uploads': { type: 'string', default: '1,2,4' },
    'sweep-scenarios': { type: 'string', default: 'loopback,storage,wan' },
    'limit-source-mibps': { type: 'string', default: '40' },
    'limit-storage-mibps': { type: 'string', default: '60' },
    'limit-storage-latency-ms': { type: 'string', default: '20' },
    'limited-blocks': { type: 'string', default: '8' },
    chunks: { type: 'string', default: '200' },
    'warm-up-mib': { type: 'string', default: '16' },
    parts: { type: 'string', default: ALL_PARTS.join(',') },
    quick: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const list = (s: string) => s.split(',').map(Number);
const quick = values.quick;
const sizesMiB = list(quick ? '16,64' : values.sizes);
const runs = quick ? 1 : Number(values.runs);
const sweepRuns = quick ? 1 : Number(values['sweep-runs'] ?? runs);
const sweepMiB = quick ? 32 : Number(values['sweep-size']);
const sweepBlocks = list(quick ? '4,8' : values['sweep-blocks']);
const sweepConcurrency = list(quick ? '1,2' : values['sweep-concurrency']);
const sweepUploads = list(quick ? '1,4' : values['sweep-uploads']);

/** Conditions a sweep runs under. */
interface Scenario {
  name: string;
  /** Bytes per second per source connection (the emulator's `slow` fault); unlimited when absent. */
  sourceBytesPerSecond?: number;
  /** Request bodies per storage connection, and a delay before every storage response (a proxy in front of Azurite). */
  storageBytesPerSecond?: number;
  storageLatencyMs?: number;
  /** Block sizes (MiB) swept in this scenario. */
  blocks: number[];
}
const storageLimits = {
  storageBytesPerSecond: Number(values['limit-storage-mibps']) * MiB,
  storageLatencyMs: Number(values['limit-storage-latency-ms']),
  blocks: list(quick ? '8' : values['limited-blocks']),
};
const SCENARIOS: Record<string, Scenario> = {
  loopback: { name: 'loopback', blocks: sweepBlocks },
  storage: { name: 'storage', ...storageLimits },
  wan: { name: 'wan', sourceBytesPerSecond: Number(values['limit-source-mibps']) * MiB, ...storageLimits },
};
const sweepScenarios = values['sweep-scenarios'].split(',').map((n) => {
  const scenario = SCENARIOS[n];
  if (!scenario) throw new Error(`unknown sweep scenario ${n} (known: ${Object.keys(SCENARIOS).join(', ')})`);
  return scenario;
});
const orchestrationChunks = quick ? 20 : Number(values.chunks);
const warmUpMiB = Number(values['warm-up-mib']);
const parts = new Set(values.parts.split(','));
// What the deployed app uses when no setting is given.
const appDefaults = loadConfig({});
const defaults = {
  blockMiB: appDefaults.archiveBlockSizeBytes / MiB,
  concurrency: appDefaults.archiveTransferConcurrency,
  uploadConcurrency: uploadConcurrencyFor(appDefaults.archiveTransferConcurrency),
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** CPU time (ms) of a process so far, from /proc (Linux); undefined elsewhere. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 14th and 15th of the line.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

async function worker(script: string, input: unknown, nodeFlags: string[] = []): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', ...nodeFlags, path.join(here, script), JSON.stringify(input)], {
    cwd: root,
    maxBuffer: 16 * MiB,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as unknown;
}

/** Azurite restarts once the bytes written since its start would pass this (it frees deleted blobs lazily). */
const AZURITE_RESTART_AFTER_BYTES = 3 * 1024 * MiB;

/** A fresh in-memory Azurite with a container, replaced when too much was written into it. */
class BenchStorage {
  private handle: AzuriteHandle | undefined;
  private written = 0;
  container!: ContainerClient;
  connectionString = '';
  pid: number | undefined;

  get blobPort(): number {
    return this.handle!.blobPort;
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

/**
 * Forwards HTTP to the current Azurite, passing each request body at most `bytesPerSecond` and holding every response
 * head back by `delayMs`: each upload connection then has a bandwidth and each request a round trip, as against a
 * real account; loopback has neither. Runs in this process.
 */
async function startStorageProxy(storage: BenchStorage, bytesPerSecond: number, delayMs: number): Promise<{ port: number; close: () => Promise<void> }> {
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      { host: '127.0.0.1', port: storage.blobPort, method: req.method, path: req.url, headers: req.headers, agent },
      (response) => {
        setTimeout(() => {
          res.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(res);
        }, delayMs);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(throttleStream(bytesPerSecond)).pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

interface Env {
  emu: AcsEmulator;
  storage: BenchStorage;
  /** Port of a latency proxy to use instead of Azurite's own (sweep scenarios with storage latency). */
  proxyPort?: number;
  /** The small file every worker moves untimed before its measured run (absent with --warm-up-mib 0). */
  warmUp?: { contentUrl: string; sizeBytes: number };
}

interface Settings {
  blockMiB: number;
  concurrency: number;
  uploadConcurrency: number;
}

/** One worker run plus what the other processes spent meanwhile. */
interface RunResult extends WorkerResult {
  azuriteCpuMs?: number;
  emulatorCpuMs: number;
  load1: number;
}

interface Measured {
  mode: WorkerInput['mode'];
  sizeMiB: number;
  /** Sweep scenario (loopback or wan). */
  scenario?: string;
  settings?: Settings;
  runs: RunResult[];
  medianMs: number;
  medianMiBps: number;
  medianMaxRssMiB: number;
  medianRssBeforeMiB: number;
  /** Median CPU seconds per GiB moved: the worker (archiver or baseline), Azurite, the emulator. */
  cpuSecPerGiB: { worker: number; azurite?: number; emulator: number };
}

async function runOnce(env: Env, mode: WorkerInput['mode'], sizeMiB: number, contentUrl: string, settings: Settings | undefined, tag: string): Promise<RunResult> {
  await env.storage.reserve(sizeMiB * MiB + (env.warmUp?.sizeBytes ?? 0));
  const { container, pid } = env.storage;
  const blobName = `bench/${mode}-${sizeMiB}-${tag}-${Date.now()}`;
  const storageConnectionString =
    env.proxyPort === undefined
      ? env.storage.connectionString
      : env.storage.connectionString.replace(`127.0.0.1:${env.storage.blobPort}/`, `127.0.0.1:${env.proxyPort}/`);
  const input: WorkerInput = {
    mode, acsConnectionString: env.emu.connectionString, storageConnectionString, container: container.containerName,
    blobName, contentUrl, sizeBytes: sizeMiB * MiB,
  };
  if (env.warmUp) input.warmUp = env.warmUp;
  if (settings) Object.assign(input, { blockSizeBytes: settings.blockMiB * MiB, concurrency: settings.concurrency, uploadConcurrency: settings.uploadConcurrency });
  // One directory per run: the main thread and the module loader's thread each write a profile there.
  const flags = values['cpu-prof'] && mode === 'archive' ? ['--cpu-prof', `--cpu-prof-dir=${path.join(resultsDir, 'profiles', `${mode}-${sizeMiB}-${tag}-${Date.now()}`)}`] : [];
  const load1 = os.loadavg()[0]!;
  const azuriteBefore = processCpuMs(pid);
  const emulatorBefore = process.cpuUsage();
  const r = (await worker('worker.ts', input, flags)) as WorkerResult;
  const emulator = process.cpuUsage(emulatorBefore);
  const azuriteAfter = processCpuMs(pid);
  if (r.bytes !== sizeMiB * MiB) throw new Error(`${mode} moved ${r.bytes} bytes, expected ${sizeMiB * MiB}`);
  await container.getBlobClient(blobName).deleteIfExists();
  const result: RunResult = { ...r, emulatorCpuMs: (emulator.user + emulator.system) / 1000, load1 };
  if (azuriteBefore !== undefined && azuriteAfter !== undefined) result.azuriteCpuMs = azuriteAfter - azuriteBefore;
  console.log(`  ${tag} ${mode} ${sizeMiB} MiB: ${(sizeMiB / (r.ms / 1000)).toFixed(1)} MiB/s, worker CPU ${(r.cpuMs / 1000).toFixed(2)} s, ` +
    `Azurite CPU ${result.azuriteCpuMs === undefined ? 'n/a' : (result.azuriteCpuMs / 1000).toFixed(2)} s, peak RSS ${r.maxRssMiB.toFixed(0)} MiB, load ${load1.toFixed(1)}`);
  return result;
}

function summarizeRuns(mode: WorkerInput['mode'], sizeMiB: number, settings: Settings | undefined, results: RunResult[]): Measured {
  const medianMs = median(results.map((r) => r.ms));
  const perGiB = (ms: number) => ms / 1000 / (sizeMiB / 1024);
  const azurite = results.every((r) => r.azuriteCpuMs !== undefined) ? perGiB(median(results.map((r) => r.azuriteCpuMs!))) : undefined;
  const m: Measured = {
    mode, sizeMiB, runs: results, medianMs,
    medianMiBps: sizeMiB / (medianMs / 1000),
    medianMaxRssMiB: median(results.map((r) => r.maxRssMiB)),
    medianRssBeforeMiB: median(results.map((r) => r.rssBeforeMiB)),
    cpuSecPerGiB: { worker: perGiB(median(results.map((r) => r.cpuMs))), emulator: perGiB(median(results.map((r) => r.emulatorCpuMs))) },
  };
  if (azurite !== undefined) m.cpuSecPerGiB.azurite = azurite;
  if (settings) m.settings = settings;
  return m;
}

const MODES = ['archive', 'tempfile', 'uploadData', 'uploadStream'] as const;

/** The app (defaults) and the baselines on the same file, `runs` rounds, interleaved, first mode rotating. */
async function compareModes(env: Env, sizeMiB: number, url: string, tag: string): Promise<Measured[]> {
  const byMode = new Map<string, RunResult[]>(MODES.map((m) => [m, []]));
  for (let i = 0; i < runs; i++) {
    // Round i starts with mode i: none of them is always first after an Azurite restart.
    const order = [...MODES.slice(i % MODES.length), ...MODES.slice(0, i % MODES.length)];
    for (const mode of order) byMode.get(mode)!.push(await runOnce(env, mode, sizeMiB, url, undefined, `${tag}${i}`));
  }
  return MODES.map((mode) => {
    const m = summarizeRuns(mode, sizeMiB, mode === 'archive' || mode === 'uploadStream' ? defaults : undefined, byMode.get(mode)!);
    console.log(`${tag}${mode.padEnd(12)} ${String(sizeMiB).padStart(5)} MiB  ${m.medianMiBps.toFixed(1).padStart(7)} MiB/s  peak RSS ${m.medianMaxRssMiB.toFixed(0)} MiB`);
    return m;
  });
}

/** Runs `body` against a fresh file of `sizeMiB` under the scenario's limits (slow source, storage proxy). */
async function inScenario(env: Env, scenario: Scenario, sizeMiB: number, body: (env: Env, chunk: { contentLocation: string }) => Promise<void>): Promise<void> {
  const chunk = env.emu.createRecordingWithFiles({ chunks: [sizeMiB * MiB] }).chunks[0]!;
  if (scenario.sourceBytesPerSecond !== undefined) {
    env.emu.injectFault({ operation: 'downloadContent', documentId: chunk.documentId, times: 1_000_000, fault: { type: 'slow', bytesPerSecond: scenario.sourceBytesPerSecond } });
  }
  const proxy =
    scenario.storageBytesPerSecond === undefined ? undefined : await startStorageProxy(env.storage, scenario.storageBytesPerSecond, scenario.storageLatencyMs ?? 0);
  try {
    await body(proxy ? { ...env, proxyPort: proxy.port } : env, chunk);
  } finally {
    await proxy?.close();
  }
}

async function main(): Promise<void> {
  const storage = new BenchStorage();
  const emu = await startAcsEmulator();
  const env: Env = { emu, storage };
  if (warmUpMiB > 0) env.warmUp = { contentUrl: emu.createRecordingWithFiles({ chunks: [warmUpMiB * MiB] }).chunks[0]!.contentLocation, sizeBytes: warmUpMiB * MiB };
  const out: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 1024 ** 3), node: process.version },
    loadAverageAtStart: os.loadavg(),
    runs,
    warmUpMiB,
    defaults,
  };
  try {
    // 1. Throughput and memory per size: this engine (app defaults) vs the baselines, same bytes, same run.
    if (parts.has('throughput')) {
      const throughput: Measured[] = [];
      for (const sizeMiB of sizesMiB) {
        const url = emu.createRecordingWithFiles({ chunks: [sizeMiB * MiB] }).chunks[0]!.contentLocation;
        throughput.push(...(await compareModes(env, sizeMiB, url, 't')));
      }
      out.throughput = throughput;
    }

    // 1b. The same comparison where the network, not the CPU, is the limit.
    if (parts.has('limits')) {
      const limits: Measured[] = [];
      for (const scenario of [SCENARIOS.storage!, SCENARIOS.wan!]) {
        await inScenario(env, scenario, sweepMiB, async (scenarioEnv, chunk) => {
          for (const m of await compareModes(scenarioEnv, sweepMiB, chunk.contentLocation, `${scenario.name}-`)) limits.push({ ...m, scenario: scenario.name });
        });
      }
      out.limits = limits;
    }

    // 2. Settings sweep: block size × parallel ranges × parallel uploads, per scenario.
    if (parts.has('sweep')) {
      const sweep: Measured[] = [];
      for (const scenario of sweepScenarios) {
        const configs: Settings[] = [];
        for (const blockMiB of scenario.blocks) {
          for (const concurrency of sweepConcurrency) for (const uploadConcurrency of sweepUploads) configs.push({ blockMiB, concurrency, uploadConcurrency });
        }
        await inScenario(env, scenario, sweepMiB, async (scenarioEnv, chunk) => {
          const byConfig = configs.map(() => [] as RunResult[]);
          // Round-robin over the configurations, so a load spike does not land on one of them only.
          for (let i = 0; i < sweepRuns; i++) {
            for (const [k, s] of configs.entries()) {
              byConfig[k]!.push(await runOnce(scenarioEnv, 'archive', sweepMiB, chunk.contentLocation, s, `${scenario.name}-${s.blockMiB}x${s.concurrency}x${s.uploadConcurrency}r${i}`));
            }
          }
          for (const [k, s] of configs.entries()) {
            const m = summarizeRuns('archive', sweepMiB, s, byConfig[k]!);
            m.scenario = scenario.name;
            sweep.push(m);
            console.log(`sweep ${scenario.name} block ${s.blockMiB} MiB, ranges ${s.concurrency}, uploads ${s.uploadConcurrency}: ${m.medianMiBps.toFixed(1)} MiB/s, peak RSS ${m.medianMaxRssMiB.toFixed(0)} MiB`);
          }
        });
      }
      out.sweepScenarios = sweepScenarios;
      out.sweep = sweep;
    }

    // 3. A many-chunk recording end to end through the orchestration.
    if (parts.has('orchestration')) {
      await storage.reserve(orchestrationChunks * 64 * 1024);
      const orchestration = await worker('orchestrationWorker.ts', {
        storageConnectionString: storage.connectionString, chunks: orchestrationChunks, chunkSizeBytes: 64 * 1024, container: `benchorch${Date.now()}`,
      });
      out.orchestration = orchestration;
      console.log(`orchestration: ${JSON.stringify(orchestration)}`);
    }
  } finally {
    await emu.close();
    await storage.stop();
  }
  out.loadAverageAtEnd = os.loadavg();

  mkdirSync(resultsDir, { recursive: true });
  const json = `${JSON.stringify(out, null, 2)}\n`;
  const stamp = (out.date as string).replace(/[:.]/g, '-');
  // Only a full run replaces the committed latest.*; quick and single-part runs keep their own.
  const prefix = quick ? 'quick-' : parts.size < ALL_PARTS.length ? 'partial-' : '';
  writeFileSync(path.join(resultsDir, `${prefix}${stamp}.json`), json);
  writeFileSync(path.join(resultsDir, `${prefix}latest.json`), json);
  const md = summarize(out);
  writeFileSync(path.join(resultsDir, `${prefix}latest.md`), md);
  console.log(`\n${md}`);
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** One row per key (size or scenario): the four modes' medians, the ratios that matter, and peak RSS. */
function comparisonTable(keyName: string, t: Measured[], keyOf: (m: Measured) => string): string[] {
  const mibps = (m: Measured) => f1(m.medianMiBps);
  const ratio = (x: Measured, y: Measured) => `${f2(x.medianMiBps / y.medianMiBps)}x`;
  const rss = (m: Measured) => `${m.medianMaxRssMiB.toFixed(0)} MiB`;
  const rows = [
    `| ${keyName} | this app (MiB/s) | temp file (a) | uploadData (b) | uploadStream (c) | app / (a) | app / (b) | (c) / (b) | app / (c) | peak RSS app | peak RSS (a) | peak RSS (b) | peak RSS (c) |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const key of [...new Set(t.map(keyOf))]) {
    const by = (mode: string) => t.find((m) => keyOf(m) === key && m.mode === mode)!;
    const a = by('archive'), tf = by('tempfile'), ud = by('uploadData'), us = by('uploadStream');
    rows.push(
      `| ${key} | ${mibps(a)} | ${mibps(tf)} | ${mibps(ud)} | ${mibps(us)} | ${ratio(a, tf)} | ${ratio(a, ud)} | ${ratio(us, ud)} | ${ratio(a, us)} | ${rss(a)} | ${rss(tf)} | ${rss(ud)} | ${rss(us)} |`,
    );
  }
  return rows;
}

function summarize(out: Record<string, unknown>): string {
  const loads = (xs: unknown) => (xs as number[]).map(f1).join(' / ');
  const lines = [
    `Run ${out.date as string} on ${JSON.stringify(out.machine)}; throughput: medians of ${runs} run(s) per figure, ` +
      (warmUpMiB > 0 ? `each in a fresh process after an untimed ${warmUpMiB} MiB transfer of the same kind (warm JIT and connections).` : 'each in a fresh, cold process.'),
    `Load average (1/5/15 min) at start ${loads(out.loadAverageAtStart)}, at end ${loads(out.loadAverageAtEnd)}.`,
    '',
  ];
  const t = out.throughput as Measured[] | undefined;
  if (t?.length) {
    const d = out.defaults as Settings;
    lines.push(
      `Archive settings: the app's defaults (block ${d.blockMiB} MiB, ${d.concurrency} range stream, ${d.uploadConcurrency} uploads in flight).`,
      '',
      ...comparisonTable('chunk', t, (m) => `${m.sizeMiB} MiB`),
    );
    const sizes = [...new Set(t.map((m) => m.sizeMiB))];
    const by = (size: number, mode: string) => t.find((m) => m.sizeMiB === size && m.mode === mode)!;
    lines.push(
      '',
      'CPU seconds per GiB moved (medians), by process: the worker doing the transfer, Azurite, the ACS emulator.',
      '',
      '| chunk | mode | worker | Azurite | emulator | total | RSS before → peak |',
      '|---|---|---|---|---|---|---|',
    );
    for (const size of sizes) {
      for (const mode of MODES) {
        const m = by(size, mode);
        const c = m.cpuSecPerGiB;
        const total = c.worker + (c.azurite ?? 0) + c.emulator;
        lines.push(`| ${size} MiB | ${mode} | ${f2(c.worker)} | ${c.azurite === undefined ? 'n/a' : f2(c.azurite)} | ${f2(c.emulator)} | ${f2(total)} | ${m.medianRssBeforeMiB.toFixed(0)} → ${m.medianMaxRssMiB.toFixed(0)} MiB |`);
      }
    }
    const archive = t.filter((m) => m.mode === 'archive');
    const rssRatio = archive.at(-1)!.medianMaxRssMiB / archive[0]!.medianMaxRssMiB;
    const vsB = sizes.map((s) => by(s, 'archive').medianMiBps / by(s, 'uploadData').medianMiBps);
    const vsA = sizes.map((s) => by(s, 'archive').medianMiBps / by(s, 'tempfile').medianMiBps);
    const ceiling = sizes.map((s) => by(s, 'uploadStream').medianMiBps / by(s, 'uploadData').medianMiBps);
    const vsC = sizes.map((s) => by(s, 'archive').medianMiBps / by(s, 'uploadStream').medianMiBps);
    lines.push(
      '',
      `Targets: app ≥ 0.8x (b): ${vsB.map(f2).join(' / ')} → ${verdict(vsB.every((r) => r >= 0.8))} ` +
        `(a streaming copy that verifies nothing, (c), reaches ${ceiling.map(f2).join(' / ')}x (b); the app reaches ${vsC.map(f2).join(' / ')}x (c)); ` +
        `app ahead of (a): ${vsA.map(f2).join(' / ')} → ${verdict(vsA.every((r) => r > 1))}; ` +
        `peak RSS ${archive.at(-1)!.sizeMiB} MiB vs ${archive[0]!.sizeMiB} MiB: ${f2(rssRatio)}x (≤ 1.2x) → ${verdict(rssRatio <= 1.2)}.`,
    );
  }
  const limits = out.limits as Measured[] | undefined;
  if (limits?.length) {
    lines.push(
      '',
      `Network-bound (app defaults, ${limits[0]!.sizeMiB} MiB; storage: ${storageLimits.storageBytesPerSecond / MiB} MiB/s per upload connection + ` +
        `${storageLimits.storageLatencyMs} ms per response through a proxy; wan: that, and the source at ${SCENARIOS.wan!.sourceBytesPerSecond! / MiB} MiB/s per connection):`,
      '',
      ...comparisonTable('scenario', limits, (m) => m.scenario!),
    );
  }
  const sweep = out.sweep as Measured[] | undefined;
  for (const scenario of (out.sweepScenarios as Scenario[] | undefined) ?? []) {
    const s = sweep!.filter((m) => m.scenario === scenario.name);
    if (!s.length) continue;
    const conditions = [
      scenario.sourceBytesPerSecond === undefined ? 'source unlimited' : `source ${scenario.sourceBytesPerSecond / MiB} MiB/s per connection`,
      scenario.storageBytesPerSecond === undefined
        ? 'storage on loopback'
        : `storage ${scenario.storageBytesPerSecond / MiB} MiB/s per upload connection + ${scenario.storageLatencyMs} ms per response`,
    ].join(', ');
    lines.push(
      '',
      `Sweep "${scenario.name}" (${conditions}; ${s[0]!.sizeMiB} MiB, this app, medians of ${s[0]!.runs.length} run(s)):`,
      '',
      '| block | ranges | uploads | MiB/s | worker CPU s/GiB | peak RSS |',
      '|---|---|---|---|---|---|',
    );
    for (const m of s) {
      lines.push(`| ${m.settings!.blockMiB} MiB | ${m.settings!.concurrency} | ${m.settings!.uploadConcurrency} | ${f1(m.medianMiBps)} | ${f2(m.cpuSecPerGiB.worker)} | ${m.medianMaxRssMiB.toFixed(0)} MiB |`);
    }
  }
  const o = out.orchestration as
    | { chunks: number; chunkSizeBytes: number; ms: number; activities: number; historyEvents: number; historyBytesPerChunk: number; sourcesDeleted: number }
    | undefined;
  if (o) {
    lines.push(
      '',
      `Orchestration: ${o.chunks} chunks of ${o.chunkSizeBytes / 1024} KiB in ${(o.ms / 1000).toFixed(1)} s, ${o.activities} activities, ` +
        `${o.historyEvents} history events, ${(o.historyBytesPerChunk / 1024).toFixed(2)} KiB history per chunk (< 2 KiB → ${verdict(o.historyBytesPerChunk < 2048)}), ` +
        `${o.sourcesDeleted} sources deleted.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
