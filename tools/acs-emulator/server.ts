// Wiring: resolves options, builds the runtime (store, media, JWT issuer, faults), starts node:http on
// 127.0.0.1 and exposes the programmatic AcsEmulator facade. Behaviour lives in the modules wired here.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JwtIssuer } from './auth/jwtIssuer.js';
import { buildCallEvent, disconnectCall, simulateCall } from './calls/simulateCall.js';
import {
  DEFAULT_ACTIVATION_DELAY_MS,
  DEFAULT_CHUNKS,
  DEFAULT_ISSUER,
  DEFAULT_MAX_CLOCK_SKEW_MS,
  DEFAULT_SEED,
} from './defaults.js';
import { buildRecordingFileStatusUpdated, publishRecordingFileStatusUpdated } from './events/publishRecordingFileStatusUpdated.js';
import { FaultInjector } from './faults/faultInjector.js';
import { fileSize, MediaHandler, openDocumentFile } from './handlers/mediaHandler.js';
import { OpenIdHandler } from './handlers/openIdHandler.js';
import { RecordingHandler } from './handlers/recordingHandler.js';
import { DeterministicMedia } from './media/deterministicMedia.js';
import { createRequestListener } from './pipeline/pipeline.js';
import { RecordingLifecycle } from './recordings/RecordingLifecycle.js';
import type { EmulatorRuntime, ResolvedOptions } from './runtime.js';
import { RecordingStore } from './store/RecordingStore.js';
import type { AcsEmulator, AcsEmulatorOptions } from './types.js';

function resolveOptions(o: AcsEmulatorOptions): ResolvedOptions {
  const accessKey = o.accessKey ?? randomBytes(32).toString('base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(accessKey)) throw new TypeError('accessKey must be base64');
  return {
    accessKey,
    resourceId: o.resourceId ?? randomUUID(),
    issuer: o.issuer ?? DEFAULT_ISSUER,
    activationDelayMs: o.activationDelayMs ?? DEFAULT_ACTIVATION_DELAY_MS,
    defaultChunks: o.defaultChunks ?? { ...DEFAULT_CHUNKS },
    maxClockSkewMs: o.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS,
    seed: o.seed ?? DEFAULT_SEED,
    unknownCalls: o.unknownCalls ?? 'accept',
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** `mediaOrigin` without trailing slash, and its path part ('' for a bare origin). */
function splitMediaOrigin(mediaOrigin: string): { origin: string; pathPrefix: string } {
  const u = new URL(mediaOrigin);
  const pathPrefix = u.pathname.replace(/\/+$/, '');
  return { origin: `${u.origin}${pathPrefix}`, pathPrefix };
}

/**
 * Starts an ACS emulator on 127.0.0.1: Call Automation recording REST, recording storage (download/delete),
 * OpenID/JWKS for callback JWTs, webhook callbacks and Event Grid events. See docs/emulator.md.
 *
 * @example
 * const acs = await startAcsEmulator({ mediaOrigin: 'https://eus.storage.asm.skype.com' });
 * const client = new CallAutomationClient(acs.connectionString, { httpClient });
 * await acs.close();
 */
export async function startAcsEmulator(options: AcsEmulatorOptions = {}): Promise<AcsEmulator> {
  const resolved = resolveOptions(options);
  const rt: EmulatorRuntime = {
    options: resolved,
    store: new RecordingStore(),
    media: new DeterministicMedia(resolved.seed),
    jwt: await JwtIssuer.create(resolved.issuer, resolved.resourceId),
    faults: new FaultInjector(),
    requests: [],
    deliveries: [],
    requestListeners: new Set(),
    endpoint: '',
    mediaOrigin: '',
    mediaPathPrefix: '',
  };
  const lifecycle = new RecordingLifecycle(rt);
  const handlers = {
    recordings: new RecordingHandler(lifecycle, rt.store),
    media: new MediaHandler(rt.store, rt.media),
    openId: new OpenIdHandler(rt.jwt, () => `${rt.endpoint}calling/keys`),
  };
  // The remote control answers through the facade built below, once the server listens.
  const bound: { facade?: AcsEmulator } = {};
  const server = createServer(createRequestListener(rt, handlers, () => bound.facade));
  const port = await listen(server, options.port ?? 0);
  rt.endpoint = `http://127.0.0.1:${port}/`;
  const media = splitMediaOrigin(options.mediaOrigin ?? `http://127.0.0.1:${port}`);
  rt.mediaOrigin = media.origin;
  rt.mediaPathPrefix = media.pathPrefix;

  const documentOrThrow = (documentId: string) => {
    const doc = rt.store.document(documentId);
    if (!doc) throw new Error(`unknown document ${documentId}`);
    return doc;
  };

  const emulator: AcsEmulator = {
    port,
    endpoint: rt.endpoint,
    accessKey: resolved.accessKey,
    connectionString: `endpoint=${rt.endpoint};accesskey=${resolved.accessKey}`,
    resourceId: resolved.resourceId,
    issuer: resolved.issuer,
    openIdConfigUrl: `${rt.endpoint}calling/.well-known/acsopenidconfiguration`,
    jwksUrl: `${rt.endpoint}calling/keys`,
    mediaOrigin: rt.mediaOrigin,
    requests: rt.requests,
    deliveries: rt.deliveries,
    onRequest(listener) {
      rt.requestListeners.add(listener);
      return () => rt.requestListeners.delete(listener);
    },
    async close() {
      for (const entry of rt.store.allEntries()) if (entry.activationTimer) clearTimeout(entry.activationTimer);
      await new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      });
    },
    simulateCall: (o) => simulateCall(rt, lifecycle, o),
    disconnectCall: (o) => disconnectCall(rt, lifecycle, o),
    getRecording: (recordingId) => rt.store.entry(recordingId)?.recording,
    listRecordings: () => rt.store.allEntries().map((e) => e.recording),
    setNextRecordingFiles: (o) => lifecycle.setNextFiles(o),
    createRecordingWithFiles: (o) => lifecycle.createWithFiles(o),
    buildCallEvent: (type, serverCallId, o) => buildCallEvent(lifecycle, type, serverCallId, o),
    buildRecordingFileStatusUpdated: (recordingId, schema) => buildRecordingFileStatusUpdated(rt, recordingId, schema),
    publishRecordingFileStatusUpdated: (recordingId, url, o) => publishRecordingFileStatusUpdated(rt, recordingId, url, o?.schema),
    openFile(documentId, kind, range) {
      const doc = documentOrThrow(documentId);
      const size = fileSize(doc, kind);
      const start = range?.start ?? 0;
      const end = Math.min(range?.end ?? size - 1, size - 1);
      if (start < 0 || (start >= size && size > 0)) throw new RangeError(`range start ${start} is outside the ${size}-byte file`);
      return openDocumentFile(rt.media, doc, kind, start, end);
    },
    async fileMd5(documentId, kind) {
      const hash = createHash('md5');
      for await (const chunk of emulator.openFile(documentId, kind)) hash.update(chunk as Buffer);
      return hash.digest('base64');
    },
    mintCallbackToken: (claims, o) => rt.jwt.mint(claims, o),
    injectFault: (rule) => rt.faults.inject(rule),
    clearFaults: () => rt.faults.clear(),
  };
  bound.facade = emulator;
  return emulator;
}
