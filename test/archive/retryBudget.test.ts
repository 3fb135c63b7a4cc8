// The request budget of one archiveChunk attempt (docs/archive.md, "Failure model and retry owners"): against a
// persistent 503 of ACS media, the REAL registered activity sends at most 5 GETs per file — the transfer engine owns
// the quick retries and the media client's downloads do not retry on their own, so the layers do not multiply
// (before: 5 pipeline attempts × 6 opens = 30 per file per attempt). Emulator over HTTP, Azurite, no mocks.
import { afterEach, describe, expect, it } from 'vitest';
import type { ArchiveChunkResult } from '../../src/archive/archiveModels.js';
import { ARCHIVE_CHUNK_ACTIVITY } from '../../src/archive/archiveFunctionNames.js';
import { writeArchivePlan } from '../../src/archive/archivePlan.js';
import { classifyFailure } from '../../src/shared/failureModel.js';
import { silentLogger } from '../../src/shared/logging.js';
import { useAcsEmulator } from '../support/useAcsEmulator.js';
import { getRegistered, newContext } from '../../tools/local/host/functionsHost.js';
import { archiveInputFor, configureArchiveEnv, type ArchiveTestEnv } from './archiveTestEnv.js';

/** The budget stated in docs/archive.md. */
const MAX_REQUESTS_PER_FILE_PER_ATTEMPT = 5;

const emu = await useAcsEmulator();
let env: ArchiveTestEnv | undefined;

afterEach(() => {
  env?.restore();
  env = undefined;
});

const requestsFor = (documentId: string, operation: string) => emu.requests.filter((r) => r.path.includes(documentId) && r.operation === operation);

/** One attempt of the registered archiveChunk activity for chunk 0 of `recordingId`: its result or what it threw. */
async function archiveChunkAttempt(recordingId: string): Promise<{ result?: ArchiveChunkResult; error?: unknown }> {
  const { instanceId, plan } = archiveInputFor(emu, recordingId);
  await writeArchivePlan(plan, { logger: silentLogger });
  const activity = getRegistered(ARCHIVE_CHUNK_ACTIVITY);
  try {
    const result = (await activity.callback({ planId: instanceId, chunkIndex: 0, deleteSource: true }, newContext(ARCHIVE_CHUNK_ACTIVITY))) as ArchiveChunkResult;
    return { result };
  } catch (error) {
    return { error };
  }
}

describe('request budget of one archiveChunk attempt', () => {
  it(`a persistent 503 costs at most ${MAX_REQUESTS_PER_FILE_PER_ATTEMPT} GETs per file, even with ACS_MAX_RETRIES=4; the attempt fails transiently`, { timeout: 90_000 }, async () => {
    env = configureArchiveEnv(emu, { ACS_MAX_RETRIES: '4' });
    const rec = emu.createRecordingWithFiles({ chunks: [300_000] });
    const doc = rec.chunks[0]!.documentId;
    for (const operation of ['downloadContent', 'downloadMetadata'] as const) {
      emu.injectFault({ operation, documentId: doc, times: 1000, fault: { type: 'status', status: 503 } });
    }

    const outage = await archiveChunkAttempt(rec.recordingId);

    // Thrown (not returned as a permanent outcome), so the orchestration retries the chunk later.
    expect(outage.result).toBeUndefined();
    expect(classifyFailure(outage.error)).toEqual({ kind: 'transient', code: 'Unavailable' });
    for (const operation of ['downloadContent', 'downloadMetadata']) {
      const gets = requestsFor(doc, operation);
      expect(gets.length, operation).toBeLessThanOrEqual(MAX_REQUESTS_PER_FILE_PER_ATTEMPT);
      expect(gets.length, `${operation}: the quick retries did happen`).toBeGreaterThan(1);
      expect(gets.every((r) => r.status === 503)).toBe(true);
    }
    expect(requestsFor(doc, 'deleteRecording')).toEqual([]);

    // The outage ends: the next attempt archives the chunk and deletes its source once.
    emu.clearFaults();
    const after = await archiveChunkAttempt(rec.recordingId);
    expect(after.error).toBeUndefined();
    expect(after.result).toMatchObject({ archived: true });
    expect(after.result!.deletedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(requestsFor(doc, 'deleteRecording').map((r) => r.status)).toEqual([200]);
  });

  it('a Retry-After longer than a quick retry may wait ends the attempt after ONE request, carrying the wait for the orchestration', async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: [10_000] });
    const doc = rec.chunks[0]!.documentId;
    emu.injectFault({ operation: 'downloadContent', documentId: doc, times: 1000, fault: { type: 'throttle', retryAfterSeconds: 3600 } });

    const { result, error } = await archiveChunkAttempt(rec.recordingId);

    expect(result).toBeUndefined();
    expect(classifyFailure(error)).toEqual({ kind: 'transient', code: 'Throttled', retryAfterMs: 3_600_000 });
    expect(requestsFor(doc, 'downloadContent')).toHaveLength(1);
    expect(requestsFor(doc, 'deleteRecording')).toEqual([]);
  });
});
