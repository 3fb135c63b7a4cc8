// Concurrent writers of one recording's manifest (re-executed activities, overlapping deliveries) go through the one
// optimistic write loop (mutateRow): each loser of the create-only / ETag-matched upload re-reads, merges and writes
// again, so every writer succeeds and none loses the other's chunks. The REAL registered activity on Azurite.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WriteRecordingManifestResult } from '../../src/archive/archiveModels.js';
import { WRITE_RECORDING_MANIFEST_ACTIVITY } from '../../src/archive/archiveFunctionNames.js';
import type { RecordingManifest } from '../../src/archive/buildRecordingManifest.js';
import { writeArchivePlan } from '../../src/archive/writeArchivePlan.js';
import { ConcurrentUpdateError, mutateRow, type RowOperations } from '../../src/calls/mutateRow.js';
import { silentLogger } from '../../src/shared/logging.js';
import { startAcsEmulator, type AcsEmulator } from '../../tools/acs-emulator/index.js';
import { getRegistered, newContext } from '../../tools/local/host/functionsHost.js';
import { archiveInputFor, configureArchiveEnv, type ArchiveTestEnv } from './archiveTestEnv.js';

let emu: AcsEmulator;
let env: ArchiveTestEnv | undefined;

beforeAll(async () => {
  emu = await startAcsEmulator();
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  env?.restore();
  env = undefined;
});

describe('writeRecordingManifest under concurrent writers', () => {
  it('every writer succeeds and the manifest lists every chunk once', { timeout: 60_000 }, async () => {
    env = configureArchiveEnv(emu);
    const rec = emu.createRecordingWithFiles({ chunks: [1000, 1000, 1000] });
    const { instanceId, plan } = archiveInputFor(emu, rec.recordingId);
    await writeArchivePlan(plan, { logger: silentLogger });
    const activity = getRegistered(WRITE_RECORDING_MANIFEST_ACTIVITY);
    const input = (completedAt: string) => ({
      planId: instanceId,
      instanceId,
      sourceEventId: 'event-1',
      completedAt,
      chunks: plan.chunks.map((c) => ({ index: c.index, archived: false, failures: [] })),
    });

    const results = (await Promise.all(
      Array.from({ length: 6 }, (_, i) => activity.callback(input(new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()), newContext(WRITE_RECORDING_MANIFEST_ACTIVITY))),
    )) as WriteRecordingManifestResult[];

    expect(results.map((r) => r.chunkCount)).toEqual([3, 3, 3, 3, 3, 3]);
    const manifest = JSON.parse((await env.container.getBlobClient(results[0]!.blobName).downloadToBuffer()).toString('utf8')) as RecordingManifest;
    expect(manifest.chunks.map((c) => c.documentId).sort()).toEqual(plan.chunks.map((c) => c.documentId).sort());
  });
});

describe('mutateRow when every round is lost', () => {
  const alwaysLost: RowOperations<number> = { get: () => Promise.resolve({ value: 1, etag: 'e' }), insert: () => Promise.resolve(undefined), replace: () => Promise.resolve(undefined) };

  it('throws ConcurrentUpdateError, or what gaveUp returns', async () => {
    await expect(mutateRow(alwaysLost, (n) => (n ?? 0) + 1, { attempts: 3 })).rejects.toBeInstanceOf(ConcurrentUpdateError);
    const last = new Error('412 from the last round');
    await expect(mutateRow(alwaysLost, (n) => (n ?? 0) + 1, { attempts: 3, gaveUp: () => last })).rejects.toBe(last);
  });
});
