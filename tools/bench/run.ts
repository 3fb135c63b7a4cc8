// `npm run bench`: archive-path benchmarks on loopback against the ACS emulator and Azurite. This file only wires the
// parts (parts/*.ts) to one emulator, one storage (BenchStorage.ts) and one report (report.ts); a run is measure.ts.
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
import os from 'node:os';
import { startAcsEmulator } from '../acs-emulator/index.js';
import { BenchStorage } from './BenchStorage.js';
import type { BenchEnv } from './measure.js';
import { ALL_PARTS, MiB, readOptions, type BenchOptions } from './options.js';
import { limitsPart } from './parts/limits.js';
import { orchestrationPart } from './parts/orchestration.js';
import { sweepPart } from './parts/sweep.js';
import { throughputPart } from './parts/throughput.js';
import { startReport, writeReport, type BenchReport } from './report.js';

/** Each part by name; they run in the order of ALL_PARTS, and their results appear in the report in that order. */
const PARTS: Record<(typeof ALL_PARTS)[number], (env: BenchEnv, opts: BenchOptions) => Promise<Partial<BenchReport>>> = {
  throughput: throughputPart,
  limits: limitsPart,
  sweep: sweepPart,
  orchestration: orchestrationPart,
};

async function main(): Promise<void> {
  const opts = readOptions();
  const storage = new BenchStorage();
  const emu = await startAcsEmulator();
  const env: BenchEnv = { emu, storage, cpuProf: opts.cpuProf };
  if (opts.warmUpMiB > 0) env.warmUp = { contentUrl: emu.createRecordingWithFiles({ chunks: [opts.warmUpMiB * MiB] }).chunks[0]!.contentLocation, sizeBytes: opts.warmUpMiB * MiB };
  const out = startReport(opts);
  try {
    for (const name of ALL_PARTS) if (opts.parts.has(name)) Object.assign(out, await PARTS[name](env, opts));
  } finally {
    await emu.close();
    await storage.stop();
  }
  out.loadAverageAtEnd = os.loadavg();
  writeReport(out, opts);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
