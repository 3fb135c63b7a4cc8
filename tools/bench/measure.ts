// One measured transfer and the median of several: runs a worker in a fresh process (so its peak RSS is its own),
// records the CPU time the worker, Azurite and the emulator (this process) spent meanwhile and the load average, and
// folds the runs of one mode, size and settings into medians per figure.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { AcsEmulator } from '../acs-emulator/index.js';
import { blobEndpointThrough } from '../local/storageProxy.js';
import type { BenchStorage } from './BenchStorage.js';
import { MiB, type Settings } from './options.js';
import type { WorkerInput, WorkerResult } from './worker.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const resultsDir = path.join(root, 'bench', 'results');
const run = promisify(execFile);

/** What every run needs: the emulator, the storage, and how to reach them. */
export interface BenchEnv {
  emu: AcsEmulator;
  storage: BenchStorage;
  /** URL of a storage proxy to use instead of Azurite's own endpoint (the limited scenarios). */
  proxyUrl?: string;
  /** The small file every worker moves untimed before its measured run (absent with --warm-up-mib 0). */
  warmUp?: { contentUrl: string; sizeBytes: number };
  /** Write V8 CPU profiles of every archive worker (--cpu-prof). */
  cpuProf: boolean;
}

/** One worker run plus what the other processes spent meanwhile. */
export interface RunResult extends WorkerResult {
  azuriteCpuMs?: number;
  emulatorCpuMs: number;
  load1: number;
}

export interface Measured {
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

export function median(xs: number[]): number {
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

/** Runs `script` (a worker in this folder) in a fresh Node process and returns the JSON of its last output line. */
export async function worker(script: string, input: unknown, nodeFlags: string[] = []): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', ...nodeFlags, path.join(here, script), JSON.stringify(input)], {
    cwd: root,
    maxBuffer: 16 * MiB,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as unknown;
}

export async function runOnce(env: BenchEnv, mode: WorkerInput['mode'], sizeMiB: number, contentUrl: string, settings: Settings | undefined, tag: string): Promise<RunResult> {
  await env.storage.reserve(sizeMiB * MiB + (env.warmUp?.sizeBytes ?? 0));
  const { container, pid } = env.storage;
  const blobName = `bench/${mode}-${sizeMiB}-${tag}-${Date.now()}`;
  const storageConnectionString = env.proxyUrl === undefined ? env.storage.connectionString : blobEndpointThrough(env.storage.connectionString, { url: env.proxyUrl });
  const input: WorkerInput = {
    mode, acsConnectionString: env.emu.connectionString, storageConnectionString, container: container.containerName,
    blobName, contentUrl, sizeBytes: sizeMiB * MiB,
  };
  if (env.warmUp) input.warmUp = env.warmUp;
  if (settings) Object.assign(input, { blockSizeBytes: settings.blockMiB * MiB, concurrency: settings.concurrency, uploadConcurrency: settings.uploadConcurrency });
  // One directory per run: the main thread and the module loader's thread each write a profile there.
  const flags = env.cpuProf && mode === 'archive' ? ['--cpu-prof', `--cpu-prof-dir=${path.join(resultsDir, 'profiles', `${mode}-${sizeMiB}-${tag}-${Date.now()}`)}`] : [];
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

export function summarizeRuns(mode: WorkerInput['mode'], sizeMiB: number, settings: Settings | undefined, results: RunResult[]): Measured {
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
