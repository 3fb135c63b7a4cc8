// The app's OpenTelemetry instruments and spans, in one place: every metric is recorded through one function here,
// called from a handful of points (transfer, chunk activity, orchestrator outcome, recording start, callback, retry
// policies). Only @opentelemetry/api is used: without a registered SDK (local runs, `npm test` unless a test installs
// one) every call is a no-op. The Azure Monitor distro is started elsewhere (startTelemetry.ts) when configured.
//
// Nothing secret may become an attribute: values are ids, counts, codes and statuses; error messages are cut and their
// URLs reduced by redactUrl (query values, which carry tokens and SAS signatures, become ***).
import {
  metrics,
  SpanStatusCode,
  trace,
  type Attributes,
  type Counter,
  type Histogram,
  type MeterProvider,
  type Span,
} from '@opentelemetry/api';
import { ensureError, statusCodeOf } from './errors.js';
import { redactUrl } from './logging.js';
import { ATTRIBUTES, METRICS, TELEMETRY_SCOPE, type MetricKey } from './telemetryNames.js';

type HistogramKey = 'archiveLag' | 'transferThroughput';
type Instruments = { [K in MetricKey]: K extends HistogramKey ? Histogram : Counter };

// Instruments belong to the MeterProvider that was global when they were made. The distro (or a test) may register
// one after modules loaded, so they are remade whenever the global provider changes.
let bound: { provider: MeterProvider; instruments: Instruments } | undefined;

function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (bound?.provider !== provider) {
    const meter = provider.getMeter(TELEMETRY_SCOPE);
    const made = Object.fromEntries(
      Object.entries(METRICS).map(([key, m]) => {
        const options = { unit: m.unit, description: m.description };
        return [key, m.kind === 'histogram' ? meter.createHistogram(m.name, options) : meter.createCounter(m.name, options)];
      }),
    ) as Instruments;
    bound = { provider, instruments: made };
  }
  return bound.instruments;
}

const count = (key: Exclude<MetricKey, HistogramKey>, attributes: Attributes = {}, value = 1) => instruments()[key].add(value, attributes);

/** Where a recording start came from (RecordingRecord.startedVia → `source`). */
export type StartSource = 'callback' | 'call-started' | 'api';

/** The retry layers of the `retries` metric. */
export type RetryLayer = 'acs-http' | 'source-resume' | 'activity';

/** One file of a chunk archived and verified (not reused): bytes, and the copy's throughput. */
export function recordFileArchived(kind: string, copiedBytes: number, sizeBytes: number, elapsedMs: number): void {
  const attributes = { [ATTRIBUTES.kind]: kind };
  count('bytesArchived', attributes, sizeBytes);
  if (elapsedMs > 0 && copiedBytes > 0) instruments().transferThroughput.record((copiedBytes * 1000) / elapsedMs, attributes);
}

/** A chunk verified in the archive; `eventTime` is the RecordingFileStatusUpdated event's time, when known. */
export function recordChunkVerified(eventTime: string | undefined, verifiedAt: Date): void {
  const event = eventTime === undefined ? NaN : Date.parse(eventTime);
  if (Number.isNaN(event)) return;
  const lagSeconds = Math.max(0, (verifiedAt.getTime() - event) / 1000);
  instruments().archiveLag.record(lagSeconds);
  trace.getActiveSpan()?.setAttribute(ATTRIBUTES.lagSeconds, lagSeconds);
}

/** The settled outcome of one chunk (recorded once, by the orchestrator). */
export function recordChunkOutcome(archived: boolean, reason?: string): void {
  if (archived) count('chunksArchived');
  else count('chunksFailed', { [ATTRIBUTES.reason]: reason ?? 'Unknown' });
}

/**
 * A chunk attempt that failed transiently and goes back to Durable for a retry; rethrows `e`. The reason is the failed
 * step and its cause's HTTP status or error name (`content:503`, `delete:RestError`).
 */
export function recordChunkWaiting(e: unknown): never {
  const step = (e as { step?: unknown } | null)?.step;
  const cause = (e as { cause?: unknown } | null)?.cause ?? e;
  const why = String(statusCodeOf(cause) ?? ensureError(cause).name);
  const reason = typeof step === 'string' ? `${step}:${why}` : why;
  count('chunksWaiting', { [ATTRIBUTES.reason]: reason });
  recordRetry('activity', reason);
  throw e;
}

/** `startedVia` of a recording row as a `source` value: callback, call-started (CallStarted event) or api. */
export function toStartSource(startedVia: string): StartSource {
  if (startedVia === 'callback' || startedVia === 'api') return startedVia;
  return /^call-?started$/i.test(startedVia) ? 'call-started' : (startedVia as StartSource);
}

export function recordRecordingStarted(source: StartSource): void {
  count('recordingsStarted', { [ATTRIBUTES.source]: source });
}

export function recordRecordingStartFailed(source: StartSource, reason: string): void {
  count('recordingStartFailures', { [ATTRIBUTES.source]: source, [ATTRIBUTES.reason]: reason });
}

/** A callback answered with an error: `reason` is a short code (`unauthorized`, `invalid`, `unavailable`, …). */
export function recordCallbackRefused(reason: string): void {
  count('callbacksRefused', { [ATTRIBUTES.reason]: reason });
}

/** A retry at `layer`; `reason` is an HTTP status or an error name. */
export function recordRetry(layer: RetryLayer, reason: string): void {
  count('retries', { [ATTRIBUTES.layer]: layer, [ATTRIBUTES.reason]: reason });
}

/** Ids a span may carry: recordingId, serverCallId, chunkIndex (undefined values are left out). */
export type SpanIds = Partial<Record<'recordingId' | 'serverCallId' | 'chunkIndex', string | number | undefined>>;

function idAttributes(ids: SpanIds): Attributes {
  const out: Attributes = {};
  for (const key of ['recordingId', 'serverCallId', 'chunkIndex'] as const) {
    const v = ids[key];
    if (v !== undefined) out[ATTRIBUTES[key]] = v;
  }
  return out;
}

/** Adds ids to the active span (e.g. once a handler has parsed its input). */
export function setSpanIds(ids: SpanIds): void {
  trace.getActiveSpan()?.setAttributes(idAttributes(ids));
}

/** An error as span status text: its name and message, cut, with every URL redacted. */
export function safeErrorText(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.replace(/\bhttps?:\/\/[^\s"'<>]+/gi, (url) => redactUrl(url)).slice(0, 300);
}

/** Runs `fn` in a new active span `name`; a thrown error marks the span failed (and is rethrown). */
export async function withSpan<T>(name: string, ids: SpanIds, fn: (span: Span) => Promise<T>): Promise<T> {
  return trace.getTracer(TELEMETRY_SCOPE).startActiveSpan(name, { attributes: idAttributes(ids) }, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: safeErrorText(e) });
      throw e;
    } finally {
      span.end();
    }
  });
}

/** A Functions handler traced as span `name` (for registrations: `handler: traced('x', handleX)`). */
export function traced<A extends unknown[], R>(name: string, handler: (...args: A) => Promise<R> | R): (...args: A) => Promise<R> {
  return (...args: A) => withSpan(name, {}, async () => handler(...args));
}
