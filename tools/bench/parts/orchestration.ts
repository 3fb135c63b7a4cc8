// Part "orchestration": a many-chunk recording end to end through the orchestration, in a worker process
// (orchestrationWorker.ts): wall time, activities, history size per chunk.
import { worker, type BenchEnv } from '../measure.js';
import type { BenchOptions } from '../options.js';
import type { OrchestrationBenchInput } from '../orchestrationWorker.js';

const CHUNK_SIZE_BYTES = 64 * 1024;

/** What orchestrationWorker.ts reports (the fields the summary reads). */
export interface OrchestrationFigures {
  chunks: number;
  chunkSizeBytes: number;
  ms: number;
  activities: number;
  historyEvents: number;
  historyBytesPerChunk: number;
  sourcesDeleted: number;
}

export async function orchestrationPart(env: BenchEnv, opts: BenchOptions): Promise<{ orchestration: OrchestrationFigures }> {
  await env.storage.reserve(opts.orchestrationChunks * CHUNK_SIZE_BYTES);
  const orchestration = (await worker('orchestrationWorker.ts', {
    storageConnectionString: env.storage.connectionString, chunks: opts.orchestrationChunks, chunkSizeBytes: CHUNK_SIZE_BYTES, container: `benchorch${Date.now()}`,
  } satisfies OrchestrationBenchInput)) as OrchestrationFigures;
  console.log(`orchestration: ${JSON.stringify(orchestration)}`);
  return { orchestration };
}
