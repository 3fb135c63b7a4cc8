// The orchestration history budget: everything Durable records (activity inputs and results, the orchestration input
// and output) is replayed on every episode, so it must stay small per chunk. The issue sets "under 2 KiB of history
// per chunk"; these tests hold the real orchestration (driven by the host driver, real activities, emulator,
// Azurite) to it — a size bound, not a timing.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FAILURE_CODE_LENGTH, MAX_FAILURE_MESSAGE_LENGTH } from '../../src/archive/archiveErrors.js';
import type { ArchiveChunkResult, ArchiveRecordingStatus } from '../../src/archive/archiveModels.js';
import { useAcsEmulator } from '../support/useAcsEmulator.js';
import { HistoryEventType, type HistoryEvent } from '../../tools/local/host/durableHost.js';
import { archiveRecording, configureArchiveEnv, type ArchiveTestEnv } from './archiveTestEnv.js';

const BUDGET_PER_CHUNK = 2048;
const CHUNKS = 50;

const emu = await useAcsEmulator();
let env: ArchiveTestEnv | undefined;

afterEach(() => {
  env?.restore();
  env = undefined;
});

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

/** Scheduled inputs and completed results of one activity, as the history stores them. */
function activityPayloads(history: HistoryEvent[], name: string): { inputs: string[]; results: string[] } {
  const scheduled = history.filter((e) => e.EventType === HistoryEventType.TaskScheduled && e.Name === name);
  const ids = new Set(scheduled.map((e) => e.EventId));
  const results = history.filter((e) => e.EventType === HistoryEventType.TaskCompleted && ids.has(e.TaskScheduledId as number));
  return { inputs: scheduled.map((e) => e.Input as string), results: results.map((e) => e.Result as string) };
}

describe('archiveRecording history budget', () => {
  it(`stays under ${BUDGET_PER_CHUNK} bytes of history per chunk for ${CHUNKS} archived and deleted chunks`, { timeout: 120_000 }, async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: Array.from({ length: CHUNKS }, () => 4096) });
    const run = await archiveRecording(emu, rec.recordingId);
    expect(run.output).toMatchObject({ status: 'archived', chunksArchived: CHUNKS, sourcesDeleted: CHUNKS, chunkStatus: 'D'.repeat(CHUNKS) });

    const perChunk = bytes(run.history) / CHUNKS;
    expect(perChunk).toBeLessThan(BUDGET_PER_CHUNK);

    // Per activity: the plan id, an index and a flag in; a compact outcome record out — no URLs, ids or blob names.
    const { inputs, results } = activityPayloads(run.history, 'archiveChunk');
    expect(inputs).toHaveLength(CHUNKS);
    expect(results).toHaveLength(CHUNKS);
    for (const payload of [...inputs, ...results]) {
      expect(payload.length).toBeLessThan(160);
      expect(payload).not.toMatch(/https?:|\.wav|\.json/);
      expect(payload).not.toContain(rec.recordingId);
      expect(payload).not.toContain(rec.serverCallId);
    }
    // The manifest activity gets one compact record per chunk; the output and custom status a character per chunk.
    const manifest = activityPayloads(run.history, 'writeRecordingManifest');
    expect(manifest.inputs[0]!.length / CHUNKS).toBeLessThan(160);
    expect(manifest.inputs[0]).not.toMatch(/https?:|participant/);
    expect(bytes(run.output)).toBeLessThan(1024 + CHUNKS);
    expect((run.customStatus as ArchiveRecordingStatus).chunkStatus).toBe('D'.repeat(CHUNKS));
    expect(bytes(run.customStatus)).toBeLessThan(200 + CHUNKS);
  });

  it('stays within the budget when every chunk fails permanently with verbose errors (failure records are bounded)', { timeout: 120_000 }, async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: Array.from({ length: CHUNKS }, () => 1024) });
    // Error bodies far longer than any budget: a long code and a 4 KB message on both files of every chunk.
    const verbose = (status: number) => ({
      type: 'status' as const,
      status,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: `Code${'X'.repeat(500)}`, message: `Detail ${'y'.repeat(4000)}` } }),
    });
    for (const c of rec.chunks) {
      emu.injectFault({ operation: 'downloadContent', documentId: c.documentId, times: 10, fault: verbose(404) });
      emu.injectFault({ operation: 'downloadMetadata', documentId: c.documentId, times: 10, fault: verbose(403) });
    }
    const run = await archiveRecording(emu, rec.recordingId);
    expect(run.output).toMatchObject({ status: 'failed', chunksFailed: CHUNKS, sourcesDeleted: 0, chunkStatus: 'F'.repeat(CHUNKS) });
    expect(bytes(run.history) / CHUNKS).toBeLessThan(BUDGET_PER_CHUNK);
    // Two failures per chunk were recorded, once each (permanent: no retries).
    expect(run.activities.filter((a) => a.name === 'archiveChunk')).toHaveLength(CHUNKS);
    const results = activityPayloads(run.history, 'archiveChunk').results.map((r) => JSON.parse(r) as ArchiveChunkResult);
    for (const r of results) {
      expect(r.failures!.map((f) => [f.step, f.statusCode, f.permanent])).toEqual([
        ['content', 404, true],
        ['metadata', 403, true],
      ]);
      // The code is the failure model's stable one; ACS's own (verbose) code and message are in the bounded message.
      expect(r.failures!.map((f) => f.code)).toEqual(['Gone', 'Refused']);
      expect(r.failures!.every((f) => f.message.startsWith('CodeXXX') && f.message.length <= MAX_FAILURE_MESSAGE_LENGTH && f.code.length <= MAX_FAILURE_CODE_LENGTH)).toBe(true);
    }
  });
});
