// The README's local scenario (`npm run simulate` against `func start`) run end to end without the Functions host:
// the same simulation drives the real registered functions through the in-process host stand-in, with the ACS
// emulator over HTTP, Azurite for state and archive, and the in-process Durable driver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSimulation } from '../../../tools/local/simulation.js';
import { startLocalApp, type LocalApp } from '../../support/localApp.js';

const CALLBACK_TOKEN = 'local-sim-token';

let app: LocalApp;

beforeAll(async () => {
  app = await startLocalApp({
    name: 'sim',
    callbackToken: CALLBACK_TOKEN,
    // Only the call-started scenario publishes CallStarted; the others are unaffected by it being on.
    settings: { RECORD_ON_CALL_STARTED: 'true' },
  });
});

afterAll(async () => {
  await app?.close();
});

describe('local end-to-end simulation', () => {
  it('records a call, archives every chunk verified against the source bytes, then deletes the source', async () => {
    const progress: string[] = [];
    const report = await runSimulation({
      appBaseUrl: app.host.baseUrl,
      emulator: app.emu,
      container: app.container,
      callbackToken: CALLBACK_TOKEN,
      chunks: 3,
      chunkSizeBytes: 2.5 * 1024 * 1024,
      recordForMs: 100,
      // One connection reset mid-download: the archive must resume and still match byte for byte.
      faults: [{ operation: 'downloadContent', fault: { type: 'reset', afterBytes: 1_500_000 } }],
      timeoutMs: 60_000,
      onProgress: (l) => progress.push(l),
    });
    await app.durable.whenIdle();

    expect(report.ok).toBe(true);
    expect(report.blobs).toHaveLength(6);
    expect(report.blobs.every((b) => b.verified)).toBe(true);
    expect(report.blobs.filter((b) => b.name.endsWith('.wav')).map((b) => b.sizeBytes)).toEqual([2.5 * 1024 * 1024, 2.5 * 1024 * 1024, 2.5 * 1024 * 1024]);
    expect(report.chunks).toHaveLength(3);
    expect(report.chunks.every((c) => c.sourceDeleted)).toBe(true);
    expect(report.manifestName).toMatch(/manifest\.json$/);
    expect(progress.some((l) => l.includes('blobs archived'))).toBe(true);

    // The recording went through the real control plane: auto-started on CallConnected, stopped via the API.
    const ops = app.emu.requests.map((r) => r.operation);
    expect(ops.filter((o) => o === 'startRecording')).toHaveLength(1);
    expect(ops).toContain('stopRecording');
    // Each chunk's source was deleted only after every download of that chunk (media and metadata) had finished.
    for (const chunk of report.chunks) {
      const forDoc = app.emu.requests.map((r, i) => ({ ...r, i })).filter((r) => r.path.includes(`/v1/objects/${chunk.documentId}`));
      const del = forDoc.find((r) => r.operation === 'deleteRecording' && r.status === 200);
      expect(del).toBeDefined();
      expect(forDoc.filter((r) => r.operation.startsWith('download')).every((r) => r.i < del!.i)).toBe(true);
    }
    // The injected reset happened and was survived by resuming, not by starting over.
    expect(app.emu.requests.some((r) => r.operation === 'downloadContent' && /bytes=[1-9]/.test(String(r.headers.range ?? '')))).toBe(true);

    const manifest = JSON.parse((await app.container.getBlobClient(report.manifestName!).downloadToBuffer()).toString('utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ recordingId: report.recordingId, serverCallId: report.serverCallId });
  });

  it('starts through the control API with explicit options and archives mp4 video', async () => {
    const report = await runSimulation({
      appBaseUrl: app.host.baseUrl,
      emulator: app.emu,
      container: app.container,
      callbackToken: CALLBACK_TOKEN,
      chunks: 1,
      chunkSizeBytes: 300_000,
      recordForMs: 50,
      recordingOptions: { content: 'audioVideo', channel: 'mixed', format: 'mp4' },
      timeoutMs: 60_000,
    });
    await app.durable.whenIdle();
    expect(report.ok).toBe(true);
    expect(report.blobs.map((b) => b.name.split('.').pop()).sort()).toEqual(['json', 'mp4']);
    expect(app.emu.getRecording(report.recordingId)).toMatchObject({ content: 'audioVideo', channel: 'mixed', format: 'mp4' });
  });

  it('--via call-started: records a call the app hears of only through Event Grid CallStarted, ended by CallEnded', async () => {
    const before = app.emu.deliveries.length;
    const report = await runSimulation({
      appBaseUrl: app.host.baseUrl,
      emulator: app.emu,
      container: app.container,
      callbackToken: CALLBACK_TOKEN,
      chunks: 2,
      chunkSizeBytes: 200_000,
      recordForMs: 50,
      via: 'call-started',
      timeoutMs: 60_000,
    });
    await app.durable.whenIdle();
    expect(report.ok).toBe(true);
    expect(report.blobs).toHaveLength(4);
    expect(report.chunks.every((c) => c.sourceDeleted)).toBe(true);

    // No CallConnected was ever posted: CallStarted alone made the app record, and the call's end stopped it.
    const deliveries = app.emu.deliveries.slice(before).map((d) => `${d.eventType} ${d.status}`);
    expect(deliveries.filter((d) => d.includes('CallConnected'))).toEqual([]);
    expect(deliveries).toContain('Microsoft.Communication.CallStarted 202');
    expect(deliveries).toContain('Microsoft.Communication.CallEnded 202');
    expect(app.emu.getRecording(report.recordingId)?.startRequestBody).toMatchObject({ callLocator: { kind: 'serverCallLocator', serverCallId: report.serverCallId } });
    expect(app.emu.requests.some((r) => r.operation === 'stopRecording' && decodeURIComponent(r.path).includes(report.recordingId))).toBe(false);
  });
});
