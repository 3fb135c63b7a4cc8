// `npm run replay-dead-letters` end to end: dead-letter blobs in Azurite in the layout Event Grid writes, replayed over
// real HTTP into the in-process stand-in for the Functions front end (the REAL registered re-drive function with a
// REAL DurableClient), the orchestration in the host driver, the ACS emulator and Azurite.
import { randomUUID } from 'node:crypto';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { startAcsEmulator, type AcsEmulator } from '../../../tools/acs-emulator/index.js';
import { replayDeadLetters } from '../../../tools/ops/replayDeadLetters.js';
import { configureArchiveEnv, listArchive, type ArchiveTestEnv } from '../../archive/archiveTestEnv.js';
import { startFakeDurableApi, type FakeDurableApi } from '../../../tools/local/host/durableClientApi.js';
import { startInProcessHost, type InProcessHost } from '../../../tools/local/host/inProcessHost.js';
import '../../../src/functions/recordingsArchive.js';
import '../../../src/functions/archiveRecording.js';

let emu: AcsEmulator;
let api: FakeDurableApi;
let host: InProcessHost;
let env: ArchiveTestEnv | undefined;
let deadLetters: ContainerClient;

beforeAll(async () => {
  emu = await startAcsEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  env = configureArchiveEnv(emu);
  api = await startFakeDurableApi();
  host = await startInProcessHost(api);
  deadLetters = BlobServiceClient.fromConnectionString(inject('storageConnectionString')).getContainerClient(`deadletters-${randomUUID().slice(0, 8)}`);
  await deadLetters.create();
});
afterEach(async () => {
  await host.close();
  await api.whenIdle();
  await api.close();
  await deadLetters.delete();
  env?.restore();
  env = undefined;
});

/** Writes `events` as Event Grid writes a dead-letter blob (delivery properties added to each event). */
async function writeDeadLetter(events: object[]): Promise<string> {
  const now = new Date();
  const name = `RECORDINGS-SUB/${now.getUTCFullYear()}/${now.getUTCMonth() + 1}/${now.getUTCDate()}/${now.getUTCHours()}/${randomUUID()}.json`;
  const body = events.map((e) => ({
    ...e,
    deadLetterReason: 'MaxDeliveryAttemptsExceeded',
    deliveryAttempts: 30,
    lastDeliveryOutcome: 'Probation',
    lastHttpStatusCode: 500,
    publishTime: now.toISOString(),
    lastDeliveryAttemptTime: now.toISOString(),
  }));
  await deadLetters.getBlockBlobClient(name).uploadData(Buffer.from(JSON.stringify(body)));
  return name;
}

describe('replay-dead-letters', () => {
  it('archives a dead-lettered recording through the re-drive endpoint; a second run changes nothing', { timeout: 60_000 }, async () => {
    const rec = emu.createRecordingWithFiles({ chunks: 2 });
    const other = { id: randomUUID(), eventType: 'Microsoft.Communication.CallEnded', subject: 'call/x', eventTime: new Date().toISOString(), data: {}, dataVersion: '1.0' };
    await writeDeadLetter([emu.buildRecordingFileStatusUpdated(rec.recordingId, 'EventGrid'), other]);

    const dry: string[] = [];
    const dryRun = await replayDeadLetters({ container: deadLetters, appBaseUrl: host.baseUrl, dryRun: true, print: (l) => dry.push(l) });
    expect(dryRun).toMatchObject({ blobs: 1, events: 1, skipped: 1, outcomes: { wouldReplay: 1, started: 0 } });
    expect(dry[0]).toContain(rec.recordingId);
    expect(api.instances.size).toBe(0);

    const lines: string[] = [];
    const first = await replayDeadLetters({ container: deadLetters, appBaseUrl: host.baseUrl, print: (l) => lines.push(l) });
    expect(first.outcomes).toMatchObject({ started: 1, failed: 0 });
    expect(lines[0]).toBe(`${rec.recordingId}: archive started`);
    expect(lines.at(-1)).toMatch(/^Summary: 1 blobs, 1 RecordingFileStatusUpdated events \(1 other events skipped\): 1 started/);
    await api.whenIdle();
    const [instance] = [...api.instances.values()];
    expect(instance!.output).toMatchObject({ status: 'archived', chunkStatus: 'DD' });
    expect(rec.chunks.every((c) => emu.getRecording(rec.recordingId)!.chunks[c.index]!.deleted)).toBe(true);

    const archive = await listArchive(env!.container);
    const requests = emu.requests.length;
    const again: string[] = [];
    const second = await replayDeadLetters({ container: deadLetters, appBaseUrl: host.baseUrl, print: (l) => again.push(l) });
    await api.whenIdle();
    expect(second.outcomes).toMatchObject({ started: 0, alreadyArchived: 1, failed: 0 });
    expect(again[0]).toBe(`${rec.recordingId}: already archived; nothing to do`);
    expect(emu.requests.length).toBe(requests);
    expect(await listArchive(env!.container)).toEqual(archive);
    expect(instance!.executions).toBe(1);
  });

  it('skips blobs older than --since', async () => {
    const rec = emu.createRecordingWithFiles({ chunks: 1 });
    await writeDeadLetter([emu.buildRecordingFileStatusUpdated(rec.recordingId, 'CloudEvents')]);
    const summary = await replayDeadLetters({ container: deadLetters, appBaseUrl: host.baseUrl, since: new Date(Date.now() + 60_000), print: () => undefined });
    expect(summary).toMatchObject({ blobs: 0, events: 0 });
    expect(api.instances.size).toBe(0);
  });
});
