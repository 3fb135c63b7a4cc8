// One whole recorded call against a running app, driven by the ACS emulator: CallConnected → the app starts a
// recording → state callbacks → stop through the control API → RecordingFileStatusUpdated to the Event Grid
// webhook → wait for the archive in Blob Storage and verify every blob against the emulator's bytes. With
// `via: 'call-started'` the app hears of the call only through Event Grid CallStarted, and the call's end
// (CallEnded) stops the recording.
// Used by `npm run simulate` (against `func start` or the embedded host) and by the tests (against the in-process
// host). The emulator is either one of this process (AcsEmulator) or one already running elsewhere, driven over its
// remote control (RemoteAcsEmulator): the simulation needs only the part of the facade both share.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContainerClient } from '@azure/storage-blob';
import { toRecordingRouteId } from '../../src/calls/recordingIdEncoding.js';
import type { RemoteAcsEmulator } from '../acs-emulator/control/remoteEmulator.js';
import type { AcsEmulator, FaultRule } from '../acs-emulator/index.js';

type Facade = AcsEmulator | RemoteAcsEmulator;
/** The emulator operations a simulation uses, in-process (synchronous answers) or remote (promises). */
export type SimulationEmulator = { [K in 'setNextRecordingFiles' | 'simulateCall' | 'disconnectCall' | 'listRecordings' | 'getRecording' | 'injectFault' | 'publishRecordingFileStatusUpdated' | 'fileMd5']: Facade[K] };

export interface SimulationOptions {
  /** Base URL of the running app, e.g. http://localhost:7071 */
  appBaseUrl: string;
  emulator: SimulationEmulator;
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
  /**
   * `call-started`: the app is not the call's Call Automation callback; it learns of the call from Event Grid
   * CallStarted (needs RECORD_ON_CALL_STARTED=true), and the call ends with CallEnded instead of a stop via the API.
   */
  via?: 'callback' | 'call-started';
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

/** A chunk as the manifest reports it. */
export interface ManifestChunkReport {
  index: number;
  documentId: string;
  status: string;
  failures: { step: string; code?: string; statusCode?: number; message: string; permanent?: boolean }[];
}

export interface SimulationReport {
  serverCallId: string;
  recordingId: string;
  chunks: { documentId: string; index: number; sourceDeleted: boolean }[];
  blobs: ArchivedBlobReport[];
  manifestName?: string;
  /** The manifest's overall status: archived, partial, failed (or empty). */
  archiveStatus: string;
  /** Every chunk of the manifest with its status and failures. */
  manifestChunks: ManifestChunkReport[];
  ok: boolean;
}

/** The app is not listening where the simulation was told to find it. */
export class AppUnreachableError extends Error {
  override readonly name = 'AppUnreachableError';
}

/** Fails with a message naming the URL (and how to start the app) when nothing answers there. */
export async function checkAppReachable(baseUrl: string): Promise<void> {
  try {
    const res = await fetch(baseUrl, { signal: AbortSignal.timeout(10_000) });
    await res.body?.cancel();
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (e as Error).message;
    throw new AppUnreachableError(
      `The app is not reachable at ${baseUrl} (${reason}). Start it with \`npm start\` in another terminal, or pass --app <url>.`,
    );
  }
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
  await checkAppReachable(base);
  await emu.setNextRecordingFiles({ count: o.chunks ?? 2, sizeBytes: o.chunkSizeBytes ?? 1024 * 1024 });

  const headers: Record<string, string> = o.functionKey ? { 'x-functions-key': o.functionKey } : {};
  let call: { serverCallId: string; status: number };
  const eventGridWebhook = (functionName: string) => `${base}/runtime/webhooks/EventGrid?functionName=${functionName}`;
  if (o.via === 'call-started') {
    log('Publishing CallStarted to the app\'s Event Grid webhook (no Call Automation callback involved)…');
    call = await emu.simulateCall({ callStarted: { url: eventGridWebhook('callStartedEvents') } });
    if (call.status >= 300) throw new Error(`The Event Grid webhook answered CallStarted with HTTP ${call.status}`);
  } else if (o.recordingOptions) {
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

  const recording = await waitFor('the app to start a recording', timeoutMs, async () =>
    (await emu.listRecordings()).find((r) => r.serverCallId === call.serverCallId && r.state === 'active'),
  );
  log(`Recording ${recording.recordingId} is active; recording for ${o.recordForMs ?? 1000} ms…`);
  await sleep(o.recordForMs ?? 1000);

  if (o.via === 'call-started') {
    // The call ends: the recording stops with it, and Event Grid tells the app (CallEnded).
    const ended = await emu.disconnectCall({ serverCallId: call.serverCallId });
    if (ended.status >= 300) throw new Error(`The Event Grid webhook answered CallEnded with HTTP ${ended.status}`);
  } else {
    const stop = await fetch(`${base}/api/recordings/${toRecordingRouteId(recording.recordingId)}`, { method: 'DELETE', headers });
    if (!stop.ok) throw new Error(`Stopping through the control API failed: HTTP ${stop.status} ${await stop.text()}`);
  }
  const stopped = await emu.getRecording(recording.recordingId);
  if (stopped?.state !== 'stopped') throw new Error('The emulator did not see the recording stop');
  log(`Stopped; ${stopped.chunks.length} chunk(s) ready. Publishing RecordingFileStatusUpdated…`);

  for (const rule of o.faults ?? []) await emu.injectFault(rule);
  const published = await emu.publishRecordingFileStatusUpdated(
    recording.recordingId,
    eventGridWebhook('recordingFileStatusUpdated'),
  );
  if (published.status >= 300) throw new Error(`The Event Grid webhook answered HTTP ${published.status}`);

  // The archive is finished when the manifest is written: with every chunk's media and metadata in the container
  // when it says archived, or with failed chunks (and their failures) when it says partial or failed.
  const expected = stopped.chunks.length * 2;
  let lastCount = -1;
  const found = await waitFor(
    `the archive of ${stopped.chunks.length} chunk(s) (${expected} blobs and a manifest)`,
    timeoutMs,
    async () => {
      const blobs = [];
      for await (const b of o.container.listBlobsFlat({ includeMetadata: true })) {
        // Every archived blob carries its recording id and kind (content | metadata | manifest) as metadata.
        if (b.metadata?.recordingid === recording.recordingId) blobs.push(b);
      }
      const data = blobs.filter((b) => b.metadata?.kind === 'content' || b.metadata?.kind === 'metadata');
      const manifestBlob = blobs.find((b) => b.metadata?.kind === 'manifest');
      if (data.length !== lastCount) {
        lastCount = data.length;
        log(`  ${data.length}/${expected} blobs archived${manifestBlob ? ', manifest written' : ''}`);
      }
      if (!manifestBlob) return undefined;
      const manifest = JSON.parse((await o.container.getBlobClient(manifestBlob.name).downloadToBuffer()).toString('utf8')) as {
        status: string;
        chunks: ManifestChunkReport[];
      };
      if (manifest.status === 'archived' && data.length < expected) return undefined;
      if (manifest.status !== 'archived') log(`  The manifest says ${manifest.status}: not waiting any longer.`);
      return { data, manifestBlob, manifest };
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

  const after = await emu.getRecording(recording.recordingId);
  const chunks = (after?.chunks ?? []).map((c) => ({ documentId: c.documentId, index: c.index, sourceDeleted: c.deleted }));
  return {
    serverCallId: call.serverCallId,
    recordingId: recording.recordingId,
    chunks,
    blobs: reports.sort((a, b) => a.name.localeCompare(b.name)),
    manifestName: found.manifestBlob.name,
    archiveStatus: found.manifest.status,
    manifestChunks: found.manifest.chunks.map((c) => ({ index: c.index, documentId: c.documentId, status: c.status, failures: c.failures ?? [] })),
    ok: found.manifest.status === 'archived' && reports.length === expected && reports.every((r) => r.verified),
  };
}

function formatFailure(f: ManifestChunkReport['failures'][number]): string {
  const what = [f.code, f.statusCode !== undefined ? `HTTP ${f.statusCode}` : undefined].filter(Boolean).join(', ');
  return `    ${f.step}${what ? ` (${what})` : ''}${f.permanent ? ', permanent' : ''}: ${f.message}`;
}

export function formatReport(r: SimulationReport): string {
  // Blobs are listed by their name inside the recording's folder, which is printed once.
  const folder = r.manifestName?.replace(/manifest\.json$/, '') ?? '';
  const short = (name: string) => (folder && name.startsWith(folder) ? name.slice(folder.length) : name);
  const width = Math.max(4, ...r.blobs.map((b) => short(b.name).length)) + 2;
  const sourceOf = new Map(r.chunks.map((c) => [c.index, c.sourceDeleted]));
  const lines = [
    `serverCallId: ${r.serverCallId}`,
    `recordingId:  ${r.recordingId}`,
    `folder:       ${folder || '(none)'}`,
    `manifest:     ${r.manifestName ? 'manifest.json' : '(none)'}, status ${r.archiveStatus}`,
    '',
    'blob'.padEnd(width) + 'bytes'.padStart(12) + '  md5 verified',
    ...r.blobs.map((b) => short(b.name).padEnd(width) + String(b.sizeBytes).padStart(12) + `  ${b.verified ? 'yes' : `NO (got ${b.md5Base64}, expected ${b.expectedMd5Base64})`}`),
    '',
    ...r.manifestChunks.flatMap((c) => [
      `chunk ${c.index} ${c.documentId}: ${c.status}, source ${sourceOf.get(c.index) ? 'deleted' : 'kept'}`,
      ...c.failures.map(formatFailure),
    ]),
    '',
    r.ok ? 'OK: every blob matches the emulator bytes.' : `FAILED: the archive is ${r.archiveStatus}; see the chunks above.`,
  ];
  return lines.join('\n');
}
