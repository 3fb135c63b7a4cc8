// Starts the Azure Monitor OpenTelemetry distro, only where APPLICATIONINSIGHTS_CONNECTION_STRING is set (the
// deployment sets it, with Entra auth): locally the distro is not even loaded, so telemetry costs nothing there. The
// standard OTEL_* variables (service name, resource attributes, sampler, export interval, OTEL_SDK_DISABLED) work as
// the OpenTelemetry SDK defines them.
//
// Why not @azure/functions-opentelemetry-instrumentation (0.2.0): its range ^4.5.0 covers this app's @azure/functions
// 4.16, but it patches the module through require hooks, which never see this ESM app's `import` unless the worker
// runs with a loader flag, and it brings a second, 2024 @opentelemetry/instrumentation. What this app needs from it —
// the host's trace context on every invocation — is the preInvocation hook below. Logs keep going through the host
// (its `traces` table), which the alerts and the workbook query.
import { app, type PreInvocationContext } from '@azure/functions';
import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';
import { context as otelContext, propagation } from '@opentelemetry/api';
import { readTelemetryConfig, type TelemetryConfig } from '../config.js';

/** The distro's entry point (injectable so a test can observe the options without exporting anything). */
export type UseAzureMonitor = (options: AzureMonitorOpenTelemetryOptions) => void;

/** The distro options for these settings: Entra credential, Azure SDK spans on, raw HTTP spans off. */
export async function azureMonitorOptions(settings: TelemetryConfig): Promise<AzureMonitorOpenTelemetryOptions> {
  const credential = settings.entra
    ? new (await import('@azure/identity')).ManagedIdentityCredential(settings.clientId ? { clientId: settings.clientId } : {})
    : undefined;
  return {
    azureMonitorExporterOptions: { connectionString: settings.connectionString, ...(credential ? { credential } : {}) },
    instrumentationOptions: {
      // ACS and Blob calls are traced by the Azure SDK (core-rest-pipeline tracingPolicy, URLs sanitized). The raw
      // HTTP instrumentation would add a second span per call with the full URL, query string included.
      http: { enabled: false },
      azureSdk: { enabled: true },
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
      bunyan: { enabled: false },
      winston: { enabled: false },
    },
  };
}

/** Runs each invocation's handler inside the trace the Functions host started for it (W3C traceparent). */
export function bindHostTraceContext(pre: PreInvocationContext): void {
  const trace = pre.invocationContext.traceContext;
  if (!trace?.traceParent) return;
  const carrier: Record<string, string> = { traceparent: trace.traceParent };
  if (trace.traceState) carrier.tracestate = trace.traceState;
  pre.functionHandler = otelContext.bind(propagation.extract(otelContext.active(), carrier), pre.functionHandler);
}

/** Starts the distro when configured; resolves true if it did. A malformed setting throws (the app does not start). */
export async function startTelemetry(env: Record<string, string | undefined> = process.env, use?: UseAzureMonitor): Promise<boolean> {
  const settings = readTelemetryConfig(env);
  if (!settings) return false;
  const start = use ?? ((await import('@azure/monitor-opentelemetry')).useAzureMonitor);
  start(await azureMonitorOptions(settings));
  app.hook.preInvocation(bindHostTraceContext);
  return true;
}
