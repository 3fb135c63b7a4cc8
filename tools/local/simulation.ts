// One whole recorded call against a running app, driven by the ACS emulator: CallConnected → the app starts a
// recording → state callbacks → stop through the control API → RecordingFileStatusUpdated to the Event Grid
// webhook → wait for the archive in Blob Storage and verify every blob against the emulator's bytes.
// Used by `npm run simulate` (against `func start`) and by the tests (against the in-process host stand-in).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContainerClient } from '@azure/storage-blob';
import { toRecordingRouteId } from '../../src/calls/recordingIdEncoding.js';
import type { AcsEmulator, FaultRule } from '../acs-emulator/index.js';

export interface SimulationOptions {
  /** Base URL of the running app, e.g. http://localhost:7071 */
  appBaseUrl: string;
  emulator: AcsEmulator;
  /** The archive container the app writes to. */
  container: ContainerClient;
  /** `?token=` secret the app expects on callbacks (CALLBACK_TOKEN), if any. */
  callbackToken?: string;
  /** Function key for the control API (`x-functions-key`), if the host enforces keys. */
  functionKey?: string;
  chunks?: number;
  chunkSizeBytes?: number;
  /** How long the call "records" before it is stopped. */
  recordForMs?: number;
  /**
   * Start the recording through the control API with these options (after the emulator connects the call to a
   * throwaway callback listener), instead of relying on the app's auto-start on CallConnected.
   */
  recordingOptions?: { content?: string; channel?: string; format?: string };
  /** Fault rules injected into the emulator before the archive starts (e.g. a reset mid-download). */
  faults?: FaultRule[];
  /** Give up waiting for the archive after this long. */
  timeoutMs?: number;
  onProgress?: (line: string) => void;
}

export interface ArchivedBlobReport {
  name: string;
  sizeBytes: number;
  md5Base64: string;
  expectedMd5Base64: string;
  verified: boolean;
}

export interface SimulationReport {
  serverCallId: string;
  recordingId: string;
  chunks: { documentId: string; index: number; sourceDeleted: boolean }[];
  blobs: ArchivedBlobReport[];
  manifestName?: string;
  ok: boolean;
}

/** A loopback listener that accepts and discards callbacks. */
async function startSink(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/sink`, close: () => new Promise((r) => server.close(() => r())) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

function withToken(url: string, token?: string): string {
  if (!token) return url;
  const u = new URL(url);
  u.searchParams.set('token', token);
  return u.toString();
}

export async function runSimulation(o: SimulationOptions): Promise<SimulationReport> {
  const log = o.onProgress ?? (() => undefined);
  const timeoutMs = o.timeoutMs ?? 120_000;
  const emu = o.emulator;
  const base = o.appBaseUrl.replace(/\/$/, '');
  emu.setNextRecordingFiles({ count: o.chunks ?? 2, sizeBytes: o.chunkSizeBytes ?? 1024 * 1024 });

  const headers: Record<string, string> = o.functionKey ? { 'x-functions-key': o.functionKey } : {};
  let call: { serverCallId: string; status: number };
  if (o.recordingOptions) {
    // The call is connected to a throwaway listener so the app's auto-start stays out of it.
    const sink = await startSink();
    try {
      call = await emu.simulateCall({ callbackUrl: sink.url });
    } finally {
      await sink.close();
    }
    log(`Starting the recording through POST /api/recordings with ${JSON.stringify(o.recordingOptions)}…`);
    const res = await fetch(`${base}/api/recordings`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ serverCallId: call.serverCallId, ...o.recordingOptions }),
    });
    if (res.status !== 201) throw new Error(`Starting through the control API failed: HTTP ${res.status} ${await res.text()}`);
  } else {
    log('Posting CallConnected to the app…');
    call = await emu.simulateCall({ callbackUrl: withToken(`${base}/api/callbacks/call-automation`, o.callbackToken) });
    if (call.status >= 300) throw new Error(`The app answered CallConnected with HTTP ${call.status}`);
  }

  const recording = await waitFor('the app to start a recording', timeoutMs, () =>
    emu.listRecordings().find((r) => r.serverCallId === call.serverCallId && r.state === 'active'),
  );
  log(`Recording ${recording.recordingId} is active; recording for ${o.recordForMs ?? 1000} ms…`);
  await sleep(o.recordForMs ?? 1000);

  const stop = await fetch(`${base}/api/recordings/${toRecordingRouteId(recording.recordingId)}`, { method: 'DELETE', headers });
  if (!stop.ok) throw new Error(`Stopping through the control API failed: HTTP ${stop.status} ${await stop.text()}`);
  const stopped = emu.getRecording(recording.recordingId);
  if (stopped?.state !== 'stopped') throw new Error('The emulator did not see the recording stop');
  log(`Stopped; ${stopped.chunks.length} chunk(s) ready. Publishing RecordingFileStatusUpdated…`);

  for (const rule of o.faults ?? []) emu.injectFault(rule);
  const published = await emu.publishRecordingFileStatusUpdated(
    recording.recordingId,
    `${base}/runtime/webhooks/EventGrid?functionName=recordingFileStatusUpdated`,
  );
  if (published.status >= 300) throw new Error(`The Event Grid webhook answered HTTP ${published.status}`);

  // The archive is complete when every chunk's media and metadata are in the container with their recording id.
  const expected = stopped.chunks.length * 2;
  let lastCount = -1;
  const found = await waitFor(
    `${expected} archived blobs`,
    timeoutMs,
    async () => {
      const blobs = [];
      for await (const b of o.container.listBlobsFlat({ includeMetadata: true })) {
        // Every archived blob carries its recording id and kind (content | metadata | manifest) as metadata.
        if (b.metadata?.recordingid === recording.recordingId) blobs.push(b);
      }
      const data = blobs.filter((b) => b.metadata?.kind === 'content' || b.metadata?.kind === 'metadata');
      const manifest = blobs.find((b) => b.metadata?.kind === 'manifest');
      if (data.length !== lastCount) {
        lastCount = data.length;
        log(`  ${data.length}/${expected} blobs archived${manifest ? ', manifest written' : ''}`);
      }
      return data.length >= expected && manifest ? { data, manifest } : undefined;
    },
  );

  const reports: ArchivedBlobReport[] = [];
  for (const b of found.data) {
    const md = b.metadata ?? {};
    const documentId = md.documentid ?? '';
    const kind = md.kind === 'metadata' ? 'metadata' : 'content';
    // The listing already carries each blob's length and stored Content-MD5.
    const { contentLength, contentMD5 } = b.properties;
    const md5 = contentMD5 ? Buffer.from(contentMD5).toString('base64') : '';
    const expectedMd5 = await emu.fileMd5(documentId, kind);
    reports.push({ name: b.name, sizeBytes: contentLength ?? 0, md5Base64: md5, expectedMd5Base64: expectedMd5, verified: md5 === expectedMd5 });
  }

  const after = emu.getRecording(recording.recordingId);
  const chunks = (after?.chunks ?? []).map((c) => ({ documentId: c.documentId, index: c.index, sourceDeleted: c.deleted }));
  return {
    serverCallId: call.serverCallId,
    recordingId: recording.recordingId,
    chunks,
    blobs: reports.sort((a, b) => a.name.localeCompare(b.name)),
    manifestName: found.manifest.name,
    ok: reports.length === expected && reports.every((r) => r.verified),
  };
}

export function formatReport(r: SimulationReport): string {
  const lines = [
    `serverCallId: ${r.serverCallId}`,
    `recordingId:  ${r.recordingId}`,
    `manifest:     ${r.manifestName ?? '(none)'}`,
    '',
    'blob'.padEnd(100) + 'bytes'.padStart(12) + '  md5 verified',
    ...r.blobs.map((b) => b.name.padEnd(100) + String(b.sizeBytes).padStart(12) + `  ${b.verified ? 'yes' : `NO (got ${b.md5Base64}, expected ${b.expectedMd5Base64})`}`),
    '',
    ...r.chunks.map((c) => `chunk ${c.index} ${c.documentId}: source ${c.sourceDeleted ? 'deleted' : 'kept'}`),
    '',
    r.ok ? 'OK: every blob matches the emulator bytes.' : 'FAILED: see above.',
  ];
  return lines.join('\n');
}
