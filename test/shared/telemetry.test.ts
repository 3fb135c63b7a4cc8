// OpenTelemetry of a real archive and of a refused callback: the OpenTelemetry SDK's own in-memory exporters record
// what the app emits while the README's local scenario runs (the real registered functions behind the in-process host,
// the ACS emulator over HTTP, Azurite, the in-process Durable driver), and the test asserts span and metric names,
// attributes and values against src/shared/telemetryNames.json — and that no key, token or SAS signature is exported.
import { context, metrics, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import * as coreTracing from '@azure/core-tracing';
import { AzureSdkInstrumentation } from '@azure/opentelemetry-instrumentation-azure-sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ATTRIBUTES, METRICS, SPANS, TELEMETRY_SCOPE } from '../../src/shared/telemetryNames.js';
import { runSimulation, type SimulationReport } from '../../tools/local/simulation.js';
import { startLocalApp, type LocalApp } from '../support/localApp.js';

const CALLBACK_TOKEN = 'telemetry-test-callback-token-4f1d';
const CHUNKS = 2;
const CHUNK_SIZE = 1536 * 1024;

const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const contextManager = new AsyncLocalStorageContextManager();

let app: LocalApp;
let report: SimulationReport;
let refusedStatus: number;
let exported: { spans: ReadableSpan[]; metrics: ResourceMetrics[] };

beforeAll(async () => {
  context.setGlobalContextManager(contextManager.enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  // What the distro's Azure SDK instrumentation does: route @azure/core-tracing (ACS pipeline, Blob, Table) to OpenTelemetry.
  (new AzureSdkInstrumentation() as unknown as { init(): { patch: (m: typeof coreTracing) => unknown } }).init().patch(coreTracing);

  app = await startLocalApp({ name: 'otel', callbackToken: CALLBACK_TOKEN, settings: { APPLICATIONINSIGHTS_CONNECTION_STRING: undefined } });
  const { emu, durable, host } = app;

  report = await runSimulation({
    appBaseUrl: host.baseUrl,
    emulator: emu,
    container: app.container,
    callbackToken: CALLBACK_TOKEN,
    chunks: CHUNKS,
    chunkSizeBytes: CHUNK_SIZE,
    recordForMs: 100,
    faults: [
      // One broken download (resumed by Range) and one 503 the ACS client retries.
      { operation: 'downloadContent', fault: { type: 'reset', afterBytes: 700_000 } },
      { operation: 'downloadContent', fault: { type: 'status', status: 503 } },
    ],
    timeoutMs: 60_000,
  });
  await durable.whenIdle();

  // A callback with the wrong token: refused before anything is parsed.
  const refused = await fetch(`${host.baseUrl}/api/callbacks/call-automation?token=not-the-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '[]',
  });
  refusedStatus = refused.status;

  await reader.forceFlush();
  exported = { spans: spans.getFinishedSpans(), metrics: metricExporter.getMetrics() };
}, 120_000);

afterAll(async () => {
  await app?.close();
  trace.disable();
  metrics.disable();
  context.disable();
});

/** Data points of the app's metric `name` (cumulative since the start of the test). */
function points(name: string): { attributes: Record<string, unknown>; value: unknown }[] {
  const scope = exported.metrics.flatMap((r) => r.scopeMetrics).filter((s) => s.scope.name === TELEMETRY_SCOPE);
  return scope.flatMap((s) => s.metrics).filter((m) => m.descriptor.name === name).flatMap((m) => m.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value })));
}

const sum = (name: string, attrs: Record<string, string> = {}) =>
  points(name)
    .filter((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v))
    .reduce((n, p) => n + (p.value as number), 0);

const histogram = (name: string) => points(name).map((p) => p.value as { count: number; sum: number; min?: number });

describe('OpenTelemetry of a real archive and a refused callback', () => {
  it('ran the scenario: the archive verified and deleted every chunk, the bad callback got 401', () => {
    expect(report.ok).toBe(true);
    expect(report.chunks.every((c) => c.sourceDeleted)).toBe(true);
    expect(refusedStatus).toBe(401);
  });

  it('traces each callback and the delivered event, the orchestration start, each chunk activity and the HTTP calls', () => {
    const named = (n: string) => exported.spans.filter((s) => s.name === n);
    expect(named(SPANS.callback).length).toBeGreaterThanOrEqual(2);
    const [event] = named(SPANS.recordingEvent);
    expect(event).toBeDefined();
    const recordingId = event!.attributes[ATTRIBUTES.recordingId];
    const serverCallId = event!.attributes[ATTRIBUTES.serverCallId];
    expect(typeof recordingId).toBe('string');
    expect(typeof serverCallId).toBe('string');

    // The orchestration start is a child of the event's span, with the same ids.
    const [start] = named(SPANS.archiveStart);
    expect(start?.parentSpanContext?.spanId).toBe(event!.spanContext().spanId);
    expect(start?.attributes).toMatchObject({ [ATTRIBUTES.recordingId]: recordingId, [ATTRIBUTES.serverCallId]: serverCallId });

    // One chunk span per chunk, carrying the ids and the lag.
    const chunks = named(SPANS.archiveChunk).filter((s) => s.status.code !== SpanStatusCode.ERROR);
    expect(chunks.map((s) => s.attributes[ATTRIBUTES.chunkIndex]).sort()).toEqual([0, 1]);
    for (const s of chunks) {
      expect(s.attributes).toMatchObject({ [ATTRIBUTES.recordingId]: recordingId, [ATTRIBUTES.serverCallId]: serverCallId });
      expect(s.attributes[ATTRIBUTES.lagSeconds]).toEqual(expect.any(Number));
    }

    // ACS (the app's core-rest-pipeline) and Blob Storage calls as client spans, inside the chunk spans.
    const client = exported.spans.filter((s) => s.kind === SpanKind.CLIENT);
    const urlOf = (s: ReadableSpan) => String(s.attributes['url.full'] ?? s.attributes['http.url'] ?? '');
    const acs = client.filter((s) => urlOf(s).startsWith(new URL(app.emu.mediaOrigin).origin));
    const blob = client.filter((s) => urlOf(s).includes(new URL(inject('storageConnectionString').match(/BlobEndpoint=([^;]+)/)![1]!).host));
    expect(acs.length).toBeGreaterThan(0);
    expect(blob.length).toBeGreaterThan(0);
    const chunkSpanIds = new Set(chunks.map((s) => s.spanContext().spanId));
    const insideChunks = (s: ReadableSpan): boolean => {
      const parentId = s.parentSpanContext?.spanId;
      if (!parentId) return false;
      if (chunkSpanIds.has(parentId)) return true;
      const parent = exported.spans.find((p) => p.spanContext().spanId === parentId);
      return parent ? insideChunks(parent) : false;
    };
    expect(acs.some(insideChunks)).toBe(true);
    expect(acs.some((s) => s.attributes['http.response.status_code'] === 503 || s.attributes['http.status_code'] === 503)).toBe(true);
  });

  it('counts bytes, chunks, lag, throughput, the started recording, the refused callback and the retries', () => {
    const archivedBytes = report.blobs.reduce((n, b) => n + b.sizeBytes, 0);
    expect(sum(METRICS.bytesArchived.name)).toBe(archivedBytes);
    expect(sum(METRICS.bytesArchived.name, { kind: 'content' })).toBe(CHUNKS * CHUNK_SIZE);
    expect(sum(METRICS.chunksArchived.name)).toBe(CHUNKS);
    expect(sum(METRICS.chunksFailed.name)).toBe(0);

    const [lag] = histogram(METRICS.archiveLag.name);
    expect(lag?.count).toBe(CHUNKS);
    expect(lag!.min).toBeGreaterThanOrEqual(0);
    const throughput = histogram(METRICS.transferThroughput.name);
    expect(throughput.reduce((n, h) => n + h.count, 0)).toBe(CHUNKS * 2);
    expect(throughput.every((h) => h.sum > 0)).toBe(true);

    expect(points(METRICS.recordingsStarted.name)).toEqual([{ attributes: { source: 'callback' }, value: 1 }]);
    expect(sum(METRICS.recordingStartFailures.name)).toBe(0);
    expect(points(METRICS.callbacksRefused.name)).toEqual([{ attributes: { reason: 'Unauthorized' }, value: 1 }]);
    // Downloads are retried by the transfer engine (the broken stream and the 503), not by the ACS client.
    expect(sum(METRICS.retries.name, { layer: 'source-resume', reason: '503' })).toBe(1);
    expect(sum(METRICS.retries.name, { layer: 'source-resume' })).toBe(2);

    // Every instrument has the unit and kind telemetryNames.json documents.
    for (const m of exported.metrics.flatMap((r) => r.scopeMetrics).filter((s) => s.scope.name === TELEMETRY_SCOPE).flatMap((s) => s.metrics)) {
      const declared = Object.values(METRICS).find((d) => d.name === m.descriptor.name);
      expect(declared, m.descriptor.name).toBeDefined();
      expect(m.descriptor.unit).toBe(declared!.unit);
      expect(m.dataPointType === DataPointType.HISTOGRAM ? 'histogram' : 'counter').toBe(declared!.kind);
    }
  });

  it('exports no access key, callback token or SAS signature', () => {
    const accessKey = /accesskey=([^;]+)/i.exec(app.emu.connectionString)![1]!;
    const storageKey = /AccountKey=([^;]+)/i.exec(inject('storageConnectionString'))?.[1];
    const text = JSON.stringify({
      spans: exported.spans.map((s) => ({ name: s.name, attributes: s.attributes, status: s.status, events: s.events, links: s.links })),
      metrics: exported.metrics.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.map((m) => ({ d: m.descriptor, p: m.dataPoints })))),
    });
    expect(text.length).toBeGreaterThan(1000);
    expect(text).not.toContain(accessKey);
    if (storageKey) expect(text).not.toContain(storageKey);
    expect(text).not.toContain(CALLBACK_TOKEN);
    expect(text).not.toMatch(/[?&]sig=/i);
    expect(text).not.toMatch(/[?&]token=(?!\*\*\*|REDACTED)/i);
  });
});
