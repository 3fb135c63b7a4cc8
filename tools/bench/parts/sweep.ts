// Part "sweep": this app's settings, block size × parallel ranges × parallel uploads, per scenario; round-robin over
// the configurations, so a load spike does not land on one of them only.
import { inScenario } from '../inScenario.js';
import { runOnce, summarizeRuns, type BenchEnv, type Measured, type RunResult } from '../measure.js';
import type { BenchOptions, Scenario, Settings } from '../options.js';

export async function sweepPart(env: BenchEnv, opts: BenchOptions): Promise<{ sweepScenarios: Scenario[]; sweep: Measured[] }> {
  const sweep: Measured[] = [];
  for (const scenario of opts.sweepScenarios) sweep.push(...(await sweepScenario(env, opts, scenario)));
  return { sweepScenarios: opts.sweepScenarios, sweep };
}

/** Every combination of the scenario's block sizes with the swept range streams and upload slots. */
function settingsGrid(opts: BenchOptions, scenario: Scenario): Settings[] {
  return scenario.blocks.flatMap((blockMiB) =>
    opts.sweepConcurrency.flatMap((concurrency) => opts.sweepUploads.map((uploadConcurrency) => ({ blockMiB, concurrency, uploadConcurrency }))),
  );
}

async function sweepScenario(env: BenchEnv, opts: BenchOptions, scenario: Scenario): Promise<Measured[]> {
  const configs = settingsGrid(opts, scenario);
  const byConfig = configs.map(() => [] as RunResult[]);
  await inScenario(env, scenario, opts.sweepMiB, async (scenarioEnv, chunk) => {
    for (let i = 0; i < opts.sweepRuns; i++) {
      for (const [k, s] of configs.entries()) {
        const tag = `${scenario.name}-${s.blockMiB}x${s.concurrency}x${s.uploadConcurrency}r${i}`;
        byConfig[k]!.push(await runOnce(scenarioEnv, 'archive', opts.sweepMiB, chunk.contentLocation, s, tag));
      }
    }
  });
  return configs.map((s, k) => {
    const m = { ...summarizeRuns('archive', opts.sweepMiB, s, byConfig[k]!), scenario: scenario.name };
    console.log(`sweep ${scenario.name} block ${s.blockMiB} MiB, ranges ${s.concurrency}, uploads ${s.uploadConcurrency}: ${m.medianMiBps.toFixed(1)} MiB/s, peak RSS ${m.medianMaxRssMiB.toFixed(0)} MiB`);
    return m;
  });
}
