// The names of everything the app emits for operators (metrics, spans, attributes, stable log messages), read from
// telemetryNames.json so the Bicep alerts (infra/app/alerts.bicep loads the same file) and the workbook
// (infra/app/workbook.json, checked by test/infra/telemetryNames.test.ts) can only query names that exist here.
import names from './telemetryNames.json' with { type: 'json' };

export type MetricKey = keyof typeof names.metrics;

/** One OpenTelemetry instrument: its exported name, kind and UCUM unit, and the attributes it carries. */
export interface MetricName {
  name: string;
  kind: 'counter' | 'histogram';
  unit: string;
  description: string;
  attributes: readonly string[];
}

/** Meter and tracer name (the OpenTelemetry instrumentation scope). */
export const TELEMETRY_SCOPE: string = names.meter;

/** Every metric instrument, by key. Names and units are documented in README "Operating it". */
export const METRICS = names.metrics as Record<MetricKey, MetricName>;

/** Span names. */
export const SPANS: Readonly<typeof names.spans> = names.spans;

/** Span and metric attribute names; ids are the same names the log lines use. */
export const ATTRIBUTES: Readonly<typeof names.attributes> = names.attributes;

/**
 * Log messages that queries match on (Application Insights `traces.message` starts with them; the fields follow as
 * JSON). `archiveFailed` is the error line written when a chunk is given up.
 */
export const LOG_MESSAGES: Readonly<typeof names.logs> = names.logs;
