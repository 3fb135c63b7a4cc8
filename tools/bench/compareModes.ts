// The app (its default settings) and the three baselines on the same file: `runs` rounds, the modes interleaved run by
// run so a change in machine load hits them alike, the first mode rotating from round to round.
import { runOnce, summarizeRuns, type BenchEnv, type Measured, type RunResult } from './measure.js';
import type { Settings } from './options.js';

export const MODES = ['archive', 'tempfile', 'uploadData', 'uploadStream'] as const;

export async function compareModes(env: BenchEnv, runs: number, defaults: Settings, sizeMiB: number, url: string, tag: string): Promise<Measured[]> {
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
