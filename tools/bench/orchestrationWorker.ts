// A whole recording of many chunks archived end to end through the real registered functions: the Event Grid trigger
// starts the orchestration through the real DurableClient (against the in-process Durable API stand-in), and the
// in-process host driver replays the real orchestrator and runs the real activities against the emulator and Azurite.
// Prints one JSON line: wall time, activity count, history size per chunk (the budget: under 2 KiB), and
// where the history bytes go (activity inputs/results by activity, orchestration input/output, event framing).
import '../local/host/setup.js';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAcsEmulator } from '../acs-emulator/index.js';
import { startFakeDurableApi, invokeEventGrid } from '../local/host/durableClientApi.js';
import { HistoryEventType, type HistoryEvent } from '../local/host/durableHost.js';
import { runWorkerMain } from './runWorkerMain.js';

export interface OrchestrationBenchInput {
  storageConnectionString: string;
  chunks: number;
  chunkSizeBytes: number;
  container: string;
}

/** History bytes per kind of payload; `framing` is everything else (event types, ids, timestamps, episodes). */
function historyBreakdown(history: HistoryEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (key: string, n: number) => (out[key] = (out[key] ?? 0) + n);
  const names = new Map<number, string>();
  let payload = 0;
  for (const e of history) {
    const input = typeof e.Input === 'string' ? Buffer.byteLength(JSON.stringify(e.Input)) : 0;
    const result = typeof e.Result === 'string' ? Buffer.byteLength(JSON.stringify(e.Result)) : 0;
    if (e.EventType === HistoryEventType.ExecutionStarted) add('orchestrationInput', input);
    else if (e.EventType === HistoryEventType.ExecutionCompleted) add('orchestrationOutput', result);
    else if (e.EventType === HistoryEventType.TaskScheduled) {
      names.set(e.EventId, String(e.Name));
      add(`${String(e.Name)}.inputs`, input);
    } else if (e.EventType === HistoryEventType.TaskCompleted) add(`${names.get(e.TaskScheduledId as number) ?? '?'}.results`, result);
    payload += input + result;
  }
  out.framing = Buffer.byteLength(JSON.stringify(history)) - payload;
  return out;
}

async function run(input: OrchestrationBenchInput) {
  const emu = await startAcsEmulator();
  const api = await startFakeDurableApi();
  Object.assign(process.env, {
    ACS_CONNECTION_STRING: emu.connectionString,
    AzureWebJobsStorage: input.storageConnectionString,
    ACS_MEDIA_ALLOWED_ORIGINS: emu.mediaOrigin,
    ARCHIVE_CONTAINER: input.container,
    // The app's settings check (appHooks) requires the task hub host.json names.
    TASKHUB_NAME: 'benchhub',
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
    historyBreakdown: historyBreakdown(run.history),
    sourcesDeleted: deleted,
  };
}

runWorkerMain(run);
