// The Event Grid trigger end to end: event → registered trigger → the REAL DurableClient (df.getClient) over HTTP →
// a fake of the Durable extension's API → the REAL orchestration in the host driver → activities → ACS emulator and
// Azurite. Proves edge validation, idempotent starts and that a refused URL never produces a request.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidRecordingEventError } from '../../src/archive/archiveErrors.js';
import type { ArchivePlan } from '../../src/archive/archivePlan.js';
import { archivePlanBlobName } from '../../src/archive/archivePlan.js';
import type { StartArchiveResult } from '../../src/archive/startArchiveOrchestration.js';
import { useAcsEmulator } from '../support/useAcsEmulator.js';
import { configureArchiveEnv, listArchive, type ArchiveTestEnv } from '../archive/archiveTestEnv.js';
import { startFakeDurableApi, invokeEventGrid, type FakeDurableApi } from '../../tools/local/host/durableClientApi.js';
import { getRegistered, type CapturedLog } from '../../tools/local/host/functionsHost.js';
import { startWebhookSink, type WebhookSink } from '../tools/acs-emulator/support/webhookSink.js';
import '../../src/functions/recordingFileStatusUpdated.js';

const TRIGGER = 'recordingFileStatusUpdated';

const emu = await useAcsEmulator();
let api: FakeDurableApi;
let env: ArchiveTestEnv | undefined;
let foreign: WebhookSink;

beforeAll(async () => {
  // A "foreign host" that must never be contacted: any request it records is a failure.
  foreign = await startWebhookSink();
});
afterAll(async () => {
  await foreign.close();
});
beforeEach(async () => {
  env = configureArchiveEnv(emu);
  api = await startFakeDurableApi();
});
afterEach(async () => {
  await api.whenIdle();
  await api.close();
  env?.restore();
  env = undefined;
});

function deliver(event: unknown, logs: CapturedLog[] = []): Promise<StartArchiveResult | undefined> {
  return invokeEventGrid(TRIGGER, event, api, logs) as Promise<StartArchiveResult | undefined>;
}

/** The archived recording's blobs, after checking that the archive plans in `_plans/` are exactly `planIds`. */
async function listArchivedRecording(planIds: string[]) {
  const all = await listArchive(env!.container);
  expect(all.filter((b) => b.name.startsWith('_plans/')).map((b) => b.name)).toEqual(planIds.map(archivePlanBlobName));
  return all.filter((b) => !b.name.startsWith('_plans/'));
}

describe('recordingFileStatusUpdated (Event Grid trigger)', () => {
  it('is registered under the name the infrastructure wires, with a durable client input', () => {
    const { metadata } = getRegistered(TRIGGER);
    const bindings = Object.values(metadata.bindings);
    expect(bindings.filter((b) => b.type === 'eventGridTrigger')).toEqual([expect.objectContaining({ direction: 'in' })]);
    expect(bindings.filter((b) => b.type === 'durableClient')).toEqual([expect.objectContaining({ direction: 'in' })]);
    expect(Object.values(getRegistered('archiveRecording').metadata.bindings)).toEqual([expect.objectContaining({ type: 'orchestrationTrigger', direction: 'in' })]);
  });

  it('starts the archive from an Event Grid event and the recording ends up in Blob Storage', async () => {
    const rec = emu.createRecordingWithFiles({ chunks: 2 });
    const result = await deliver(emu.buildRecordingFileStatusUpdated(rec.recordingId, 'EventGrid'));
    expect(result?.started).toBe(true);
    expect(result?.instanceId).toMatch(/^archive-[A-Za-z0-9_-]+$/);
    // The trigger only started it: the start went through the real DurableClient's HTTP calls.
    expect(api.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 404', 'POST 202']);

    await api.whenIdle();
    const instance = api.instances.get(result!.instanceId)!;
    expect(instance.runtimeStatus).toBe('Completed');
    expect(instance.output).toMatchObject({ status: 'archived', chunksArchived: 2, sourcesDeleted: 2, chunkStatus: 'DD' });
    const blobs = await listArchivedRecording([result!.instanceId]);
    expect(blobs).toHaveLength(5);
    // The trigger wrote the validated chunk list as the archive plan; the orchestration input only refers to it.
    const plan = JSON.parse((await env!.container.getBlobClient(archivePlanBlobName(result!.instanceId)).downloadToBuffer()).toString('utf8')) as ArchivePlan;
    expect(plan).toMatchObject({ planId: result!.instanceId, recording: { recordingId: rec.recordingId, serverCallId: rec.serverCallId } });
    expect(plan.chunks.map((c) => [c.index, c.documentId, c.contentLocation, c.deleteLocation])).toEqual(
      rec.chunks.map((c) => [c.index, c.documentId, c.contentLocation, c.deleteLocation]),
    );
    expect(instance.input).toMatchObject({ planId: result!.instanceId, chunkIndexes: [0, 1] });
    expect(JSON.stringify(instance.input)).not.toMatch(/https?:/);
    for (const c of rec.chunks) {
      expect(blobs.find((b) => b.metadata.documentid === c.documentId && b.metadata.kind === 'content')!.md5).toBe(await emu.fileMd5(c.documentId, 'content'));
      expect(emu.getRecording(rec.recordingId)!.chunks[c.index]!.deleted).toBe(true);
    }
  });

  it('turns duplicate, reordered and re-schemaed deliveries of one recording into exactly one archive', async () => {
    const rec = emu.createRecordingWithFiles({ chunks: 3 });
    const eventGrid = emu.buildRecordingFileStatusUpdated(rec.recordingId, 'EventGrid') as { data: { recordingStorageInfo: { recordingChunks: unknown[] } } };
    const cloud = emu.buildRecordingFileStatusUpdated(rec.recordingId, 'CloudEvents');
    const reordered = structuredClone(eventGrid);
    reordered.data.recordingStorageInfo.recordingChunks.reverse();

    // Concurrent deliveries race on getStatus/startNew; later ones arrive while it runs and after it completed.
    const concurrent = await Promise.all([deliver(eventGrid), deliver(cloud), deliver(reordered)]);
    const late = await deliver(eventGrid);
    await api.whenIdle();
    const afterCompletion = await deliver(reordered);

    const results = [...concurrent, late, afterCompletion];
    expect(results.filter((r) => r?.started)).toHaveLength(1);
    expect(new Set(results.map((r) => r!.instanceId)).size).toBe(1);
    expect(afterCompletion).toMatchObject({ started: false, existingStatus: 'Completed' });
    expect(api.instances.size).toBe(1);
    expect([...api.instances.values()][0]!.executions).toBe(1);
    // One archive: every file downloaded exactly once, one manifest.
    for (const c of rec.chunks) {
      expect(emu.requests.filter((r) => r.operation === 'downloadContent' && r.path.includes(c.documentId))).toHaveLength(1);
    }
    const blobs = await listArchivedRecording([results[0]!.instanceId]);
    expect(blobs.filter((b) => b.name.endsWith('manifest.json'))).toHaveLength(1);
    expect(blobs).toHaveLength(7);
  });

  it('refuses an event whose URL is outside ACS_MEDIA_ALLOWED_ORIGINS without making any request', async () => {
    const rec = emu.createRecordingWithFiles({ chunks: 2 });
    const event = emu.buildRecordingFileStatusUpdated(rec.recordingId) as { id: string; data: { recordingStorageInfo: { recordingChunks: Record<string, string>[] } } };
    event.data.recordingStorageInfo.recordingChunks[1]!.contentLocation = `${foreign.url}/v1/objects/x/content/audio`;
    const emuRequests: string[] = [];
    const off = emu.onRequest((r) => emuRequests.push(`${r.method} ${r.path}`));
    const logs: CapturedLog[] = [];
    try {
      // The invocation fails, so Event Grid retries and then dead-letters the event instead of it being lost.
      await expect(deliver(event, logs)).rejects.toThrow(InvalidRecordingEventError);
      await api.whenIdle();
    } finally {
      off();
    }
    expect(foreign.received).toEqual([]);
    expect(emuRequests).toEqual([]);
    expect(api.requests).toEqual([]); // not even a status query: nothing was started
    expect(await listArchive(env!.container).catch(() => [])).toEqual([]); // and no archive plan written
    const error = logs.find((l) => l.level === 'error');
    expect(error?.message).toContain(event.id);
    expect(error?.message).toContain(`origin ${foreign.url} is not in ACS_MEDIA_ALLOWED_ORIGINS`);
    expect(emu.getRecording(rec.recordingId)!.chunks.every((c) => !c.deleted)).toBe(true);
  });

  it('logs, starts nothing and fails the invocation for an invalid event (Event Grid dead-letters it)', async () => {
    const rec = emu.createRecordingWithFiles({ chunks: 1 });
    const event = emu.buildRecordingFileStatusUpdated(rec.recordingId) as { id: string; data: { recordingStorageInfo: { recordingChunks: Record<string, unknown>[] } } };
    event.data.recordingStorageInfo.recordingChunks[0]!.index = 'first';
    const logs: CapturedLog[] = [];
    await expect(deliver(event, logs)).rejects.toThrow(InvalidRecordingEventError);
    expect(api.requests).toEqual([]);
    expect(logs.filter((l) => l.level === 'error').map((l) => l.message).join('\n')).toMatch(new RegExp(`${event.id}.*recordingChunks\\.0\\.index`));
  });

  it('ignores other event types with a log line', async () => {
    const logs: CapturedLog[] = [];
    const other = { id: 'e1', topic: 't', subject: 's', eventType: 'Microsoft.Communication.IncomingCall', eventTime: new Date().toISOString(), data: {}, dataVersion: '1', metadataVersion: '1' };
    expect(await deliver(other, logs)).toBeUndefined();
    expect(api.requests).toEqual([]);
    expect(logs.some((l) => l.level === 'information' && l.message.includes('Microsoft.Communication.IncomingCall'))).toBe(true);
  });

  it('treats losing the start race ("already exists") as success and starts nothing more', async () => {
    const rec = emu.createRecordingWithFiles({ chunks: 1 });
    // What a concurrent delivery sees when the other one created the instance between its getStatus and startNew.
    api.failNextRequests(1, 500, 'POST', 'An Orchestration instance with the status Running already exists.');
    const logs: CapturedLog[] = [];
    expect(await deliver(emu.buildRecordingFileStatusUpdated(rec.recordingId), logs)).toMatchObject({ started: false, existingStatus: 'AlreadyExists' });
    expect(api.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 404', 'POST 500']);
    expect(api.instances.size).toBe(0);
    expect(logs.some((l) => l.message.includes('started concurrently'))).toBe(true);
  });

  it('surfaces a transient failure (Durable storage down) so Event Grid retries, and the retry then succeeds', async () => {
    const rec = emu.createRecordingWithFiles({ chunks: 1 });
    const event = emu.buildRecordingFileStatusUpdated(rec.recordingId);
    api.failNextRequests(1, 503);
    await expect(deliver(event)).rejects.toThrow(/503/);
    expect(api.instances.size).toBe(0);
    api.failNextRequests(1, 500, 'POST'); // getStatus answers 404, then startNew fails with a 500 that is not "already exists"
    await expect(deliver(event)).rejects.toThrow(/500/);
    expect(api.instances.size).toBe(0);

    expect(await deliver(event)).toMatchObject({ started: true });
    await api.whenIdle();
    expect([...api.instances.values()][0]!.runtimeStatus).toBe('Completed');
  });
});
