// The command line of `npm run bench` (documented at the top of run.ts), read once into the settings every part uses:
// sizes, runs, the sweep's grid, the limited scenarios, and the app's default archive settings to compare against.
import { parseArgs } from 'node:util';
import { uploadConcurrencyFor } from '../../src/archive/transfer/transferToBlockBlob.js';
import { loadConfig } from '../../src/config.js';

export const MiB = 1024 * 1024;

export const ALL_PARTS = ['throughput', 'limits', 'sweep', 'orchestration'] as const;

/** Archive settings of one run: block size, parallel range streams, uploads in flight. */
export interface Settings {
  blockMiB: number;
  concurrency: number;
  uploadConcurrency: number;
}

/** Conditions a sweep runs under. */
export interface Scenario {
  name: string;
  /** Bytes per second per source connection (the emulator's `slow` fault); unlimited when absent. */
  sourceBytesPerSecond?: number;
  /** Request bodies per storage connection, and a delay before every storage response (a proxy in front of Azurite). */
  storageBytesPerSecond?: number;
  storageLatencyMs?: number;
  /** Block sizes (MiB) swept in this scenario. */
  blocks: number[];
}

export interface BenchOptions {
  quick: boolean;
  sizesMiB: number[];
  runs: number;
  sweepRuns: number;
  sweepMiB: number;
  sweepConcurrency: number[];
  sweepUploads: number[];
  /** Every known scenario by name (the limits part uses storage and wan), and those the sweep runs. */
  scenarios: { loopback: Scenario; storage: Scenario; wan: Scenario };
  sweepScenarios: Scenario[];
  orchestrationChunks: number;
  warmUpMiB: number;
  parts: Set<string>;
  cpuProf: boolean;
  /** What the deployed app uses when no setting is given. */
  defaults: Settings;
}

export function readOptions(args: string[] = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args,
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
  const runs = quick ? 1 : Number(values.runs);
  const storageLimits = {
    storageBytesPerSecond: Number(values['limit-storage-mibps']) * MiB,
    storageLatencyMs: Number(values['limit-storage-latency-ms']),
    blocks: list(quick ? '8' : values['limited-blocks']),
  };
  const scenarios = {
    loopback: { name: 'loopback', blocks: list(quick ? '4,8' : values['sweep-blocks']) },
    storage: { name: 'storage', ...storageLimits },
    wan: { name: 'wan', sourceBytesPerSecond: Number(values['limit-source-mibps']) * MiB, ...storageLimits },
  };
  const sweepScenarios = values['sweep-scenarios'].split(',').map((n) => {
    const scenario = (scenarios as Record<string, Scenario | undefined>)[n];
    if (!scenario) throw new Error(`unknown sweep scenario ${n} (known: ${Object.keys(scenarios).join(', ')})`);
    return scenario;
  });
  const appDefaults = loadConfig({});
  return {
    quick,
    sizesMiB: list(quick ? '16,64' : values.sizes),
    runs,
    sweepRuns: quick ? 1 : Number(values['sweep-runs'] ?? runs),
    sweepMiB: quick ? 32 : Number(values['sweep-size']),
    sweepConcurrency: list(quick ? '1,2' : values['sweep-concurrency']),
    sweepUploads: list(quick ? '1,4' : values['sweep-uploads']),
    scenarios,
    sweepScenarios,
    orchestrationChunks: quick ? 20 : Number(values.chunks),
    warmUpMiB: Number(values['warm-up-mib']),
    parts: new Set(values.parts.split(',')),
    cpuProf: values['cpu-prof'],
    defaults: {
      blockMiB: appDefaults.archiveBlockSizeBytes / MiB,
      concurrency: appDefaults.archiveTransferConcurrency,
      uploadConcurrency: uploadConcurrencyFor(appDefaults.archiveTransferConcurrency),
    },
  };
}
