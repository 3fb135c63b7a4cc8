// Part "limits": the throughput comparison again, at --sweep-size, in the limited scenarios (storage, wan), where the
// network rather than the CPU is the bottleneck, as it is against a real ACS and a remote storage account.
import { compareModes } from '../compareModes.js';
import { inScenario } from '../inScenario.js';
import type { BenchEnv, Measured } from '../measure.js';
import type { BenchOptions } from '../options.js';

export async function limitsPart(env: BenchEnv, opts: BenchOptions): Promise<{ limits: Measured[] }> {
  const limits: Measured[] = [];
  for (const scenario of [opts.scenarios.storage, opts.scenarios.wan]) {
    await inScenario(env, scenario, opts.sweepMiB, async (scenarioEnv, chunk) => {
      const measured = await compareModes(scenarioEnv, opts.runs, opts.defaults, opts.sweepMiB, chunk.contentLocation, `${scenario.name}-`);
      limits.push(...measured.map((m) => ({ ...m, scenario: scenario.name })));
    });
  }
  return { limits };
}
