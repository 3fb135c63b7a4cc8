// A whole recording of many chunks archived end to end through the real registered functions: the Event Grid trigger
// starts the orchestration through the real DurableClient (against the in-process Durable API stand-in), and the
// in-process host driver replays the real orchestrator and runs the real activities against the emulator and Azurite.
// Prints one JSON line: wall time, activity count, history size per chunk.
import '../../test/support/setup.js';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAcsEmulator } from '../acs-emulator/index.js';
import { startFakeDurableApi, invokeEventGrid } from '../../test/support/durableClientApi.js';

export interface OrchestrationBenchInput {
  storageConnectionString: string;
  chunks: number;
  chunkSizeBytes: number;
  container: string;
}

async function run(input: OrchestrationBenchInput) {
  const emu = await startAcsEmulator();
  const api = await startFakeDurableApi();
  Object.assign(process.env, {
    ACS_CONNECTION_STRING: emu.connectionString,
    AzureWebJobsStorage: input.storageConnectionString,
    ACS_MEDIA_ALLOWED_ORIGINS: emu.mediaOrigin,
    ARCHIVE_CONTAINER: input.container,
  });
  // The ACS client logs every attempt to the console; keep the benchmark's output to its result line.
  console.info = () => undefined;
  const functionsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/functions');
  for (const f of readdirSync(functionsDir).filter((n) => n.endsWith('.ts'))) await import(path.join(functionsDir, f));

  const recording = emu.createRecordingWithFiles({ chunks: Array.from({ length: input.chunks }, () => input.chunkSizeBytes) });
  const event = emu.buildRecordingFileStatusUpdated(recording.recordingId, 'EventGrid');
  const started = performance.now();
  await invokeEventGrid('recordingFileStatusUpdated', event, api);
  await api.whenIdle();
  const ms = performance.now() - started;
  const instance = [...api.instances.values()][0];
  const run = instance?.run;
  if (!run || run.runtimeStatus !== 'Completed') throw new Error(`orchestration did not complete: ${instance?.error?.message ?? run?.error}`);
  const historyBytes = Buffer.byteLength(JSON.stringify(run.history));
  const deleted = emu.getRecording(recording.recordingId)?.chunks.filter((c) => c.deleted).length ?? 0;
  await api.close();
  await emu.close();
  return {
    chunks: input.chunks,
    chunkSizeBytes: input.chunkSizeBytes,
    ms,
    activities: run.activities.length,
    episodes: run.episodes,
    historyEvents: run.history.length,
    historyBytes,
    historyBytesPerChunk: historyBytes / input.chunks,
    sourcesDeleted: deleted,
  };
}

run(JSON.parse(process.argv[2] ?? '{}') as OrchestrationBenchInput).then(
  (r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(0);
  },
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
