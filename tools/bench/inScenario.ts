// Runs a body of benchmark runs under a scenario's limits: a fresh source file, slowed per connection by the
// emulator's `slow` fault when the scenario limits the source, and the storage behind the shared storage proxy
// (bandwidth per upload connection, latency per response) when it limits the storage.
import { startStorageProxy } from '../local/storageProxy.js';
import type { BenchEnv } from './measure.js';
import { MiB, type Scenario } from './options.js';

export async function inScenario(env: BenchEnv, scenario: Scenario, sizeMiB: number, body: (env: BenchEnv, chunk: { contentLocation: string }) => Promise<void>): Promise<void> {
  const chunk = env.emu.createRecordingWithFiles({ chunks: [sizeMiB * MiB] }).chunks[0]!;
  if (scenario.sourceBytesPerSecond !== undefined) {
    env.emu.injectFault({ operation: 'downloadContent', documentId: chunk.documentId, times: 1_000_000, fault: { type: 'slow', bytesPerSecond: scenario.sourceBytesPerSecond } });
  }
  // The target is read at each request: Azurite moves to another port when BenchStorage restarts it.
  const proxy =
    scenario.storageBytesPerSecond === undefined
      ? undefined
      : await startStorageProxy({ target: () => env.storage.blobOrigin, requestBytesPerSecond: scenario.storageBytesPerSecond, responseDelayMs: scenario.storageLatencyMs ?? 0 });
  try {
    await body(proxy ? { ...env, proxyUrl: proxy.url } : env, chunk);
  } finally {
    await proxy?.close();
  }
}
