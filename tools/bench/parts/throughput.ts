// Part "throughput": throughput and memory per chunk size, this engine (app defaults) vs the baselines, same bytes,
// same run.
import { compareModes } from '../compareModes.js';
import type { BenchEnv, Measured } from '../measure.js';
import { MiB, type BenchOptions } from '../options.js';

export async function throughputPart(env: BenchEnv, opts: BenchOptions): Promise<{ throughput: Measured[] }> {
  const throughput: Measured[] = [];
  for (const sizeMiB of opts.sizesMiB) {
    const url = env.emu.createRecordingWithFiles({ chunks: [sizeMiB * MiB] }).chunks[0]!.contentLocation;
    throughput.push(...(await compareModes(env, opts.runs, opts.defaults, sizeMiB, url, 't')));
  }
  return { throughput };
}
